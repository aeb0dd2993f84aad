"""Judged answer quality (optional): the cloud model compares our answer with a
reference answer, PAPILLON-style.

Each comparison asks the judge twice, with the two answers in swapped order; ours wins
(or loses) only when both orders agree, anything else is a tie, so a judge that prefers
whichever answer comes first cannot make a difference. Quality preservation is the share
of judged prompts where ours is at least as good as the reference (wins + ties).

The judge is a cloud model, so what it reads leaves the device. :class:`MaskedView` (the
default of ``ptmo bench --judge``) shows it only what the router lets leave: the prompt
as the router sends it (placeholders for masked values) and each answer masked by the
router's rule for past messages; a prompt or answer holding something private that
cannot be masked is withheld, not judged. :class:`RawView` shows everything as is
(PAPILLON's protocol, for public benchmark data only).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ptmo_middleware.types import Message, Route, SensitivityLevel

if TYPE_CHECKING:
    from ptmo_middleware.backends import Backend
    from ptmo_middleware.router import PrivacyRouter

JUDGE_INSTRUCTIONS = (
    "You compare the quality of two responses to a user's query: helpfulness, correctness and "
    "completeness. Values written as placeholders such as [PERSON_1] stand for real values the "
    "user knows; do not penalise them. Reply with exactly one word: A if response A is better, "
    "B if response B is better, TIE if they are equally good.")

#: ``(prompt, conversation_id) -> answer``: one of the two systems being compared.
System = Callable[[str, str], str]

Outcome = Literal["win", "tie", "loss", "withheld"]


class Verdict(str, Enum):
    """One judge call's preference between the response shown as A and the one shown as B."""

    A = "A"
    B = "B"
    TIE = "TIE"


def parse_verdict(text: str) -> Verdict:
    """The judge's first word as a verdict; anything else counts as a tie."""
    m = re.match(r"\W*(TIE|A|B)\b", text.strip(), re.IGNORECASE)
    return Verdict(m.group(1).upper()) if m else Verdict.TIE


class PairwiseJudge:
    """Asks a chat backend (the cloud model) which of two answers is better."""

    def __init__(self, backend: "Backend", max_tokens: int = 8) -> None:
        self.backend = backend
        self.max_tokens = max_tokens

    def prefer(self, query: str, response_a: str, response_b: str) -> Verdict:
        """One judge call, with the responses in the given order."""
        content = f"User query:\n{query}\n\nResponse A:\n{response_a}\n\nResponse B:\n{response_b}"
        reply = self.backend.chat([Message("system", JUDGE_INSTRUCTIONS), Message("user", content)],
                                  temperature=0, max_tokens=self.max_tokens)
        return parse_verdict(reply.text)

    def compare(self, query: str, ours: str, reference: str) -> tuple[Outcome, Verdict, Verdict]:
        """Ours against the reference, asked in both orders: ``(outcome, verdict with ours
        as A, verdict with ours as B)``. A win or a loss needs both orders to agree."""
        first = self.prefer(query, ours, reference)
        second = self.prefer(query, reference, ours)
        if first is Verdict.A and second is Verdict.B:
            return "win", first, second
        if first is Verdict.B and second is Verdict.A:
            return "loss", first, second
        return "tie", first, second


class JudgeView(Protocol):
    """What the judge may read of a prompt and of an answer (``None``: withhold it)."""

    name: str

    def query(self, prompt: str, conversation_id: str) -> str | None: ...

    def answer(self, text: str, conversation_id: str) -> str | None: ...


class RawView:
    """Everything as is: the judge reads the raw prompt and answers (sends private data)."""

    name = "raw"

    def query(self, prompt: str, conversation_id: str) -> str | None:
        return prompt

    def answer(self, text: str, conversation_id: str) -> str | None:
        return text


class MaskedView:
    """Only what the router lets leave the device, with the conversation's placeholders.

    The prompt is the router's own cloud message for it; a prompt any part of which the
    router keeps on the device is withheld. An answer is masked like a past message
    (maskable sensitive spans become placeholders) and withheld when it holds something
    private that cannot be masked. Use the conversation id the answers were made under,
    so that a value gets the same placeholder in the prompt and in the answers.
    """

    name = "masked"

    def __init__(self, router: "PrivacyRouter") -> None:
        self.router = router

    def query(self, prompt: str, conversation_id: str) -> str | None:
        plan = self.router.plan(prompt, conversation_id=conversation_id)
        if not plan.cloud_messages or any(p.route is Route.LOCAL for p in plan.parts):
            return None
        return plan.cloud_messages[-1].content

    def answer(self, text: str, conversation_id: str) -> str | None:
        cls = self.router.classify(text, conversation_id)
        if any(not s.maskable and s.level >= SensitivityLevel.PRIVATE for s in cls.spans):
            return None
        spans = [s for s in cls.spans if s.maskable and s.level > SensitivityLevel.PUBLIC]
        return self.router.vault(conversation_id).mask(text, spans)


@dataclass
class Judgement:
    """One prompt's result; ``index`` is its position in the prompts given."""

    index: int
    outcome: Outcome
    ours_as_a: str | None = None
    ours_as_b: str | None = None
    withheld: str | None = None
    """What was withheld from the judge: ``"prompt"`` or ``"answer"``."""


@dataclass
class JudgedResult:
    """Win / tie / loss of ours against the reference over the judged prompts."""

    view: str
    reference: str
    judge: str
    judgements: list[Judgement] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(j.outcome == outcome for j in self.judgements)

    @property
    def judged(self) -> int:
        return len(self.judgements) - self.count("withheld")

    def rate(self, outcome: Outcome) -> float | None:
        """Share of the judged prompts with ``outcome`` (``None`` when none was judged)."""
        return self.count(outcome) / self.judged if self.judged else None

    @property
    def quality_preservation(self) -> float | None:
        """Share of the judged prompts where ours is at least as good as the reference."""
        return (self.count("win") + self.count("tie")) / self.judged if self.judged else None

    def to_dict(self) -> dict[str, Any]:
        return {"view": self.view, "reference": self.reference, "judge": self.judge,
                "prompts": len(self.judgements), "judged": self.judged, "withheld": self.count("withheld"),
                **{o: self.count(o) for o in ("win", "tie", "loss")},
                "quality_preservation": self.quality_preservation,
                "judgements": [asdict(j) for j in self.judgements]}

    def markdown(self) -> str:
        def pct(x: float | None) -> str:
            return "-" if x is None else f"{100 * x:.1f}%"
        return (f"| judge view | reference | prompts | judged | withheld | win | tie | loss | "
                f"quality preservation |\n|---|---|---|---|---|---|---|---|---|\n"
                f"| {self.view} | {self.reference} | {len(self.judgements)} | {self.judged} | "
                f"{self.count('withheld')} | {pct(self.rate('win'))} | {pct(self.rate('tie'))} | "
                f"{pct(self.rate('loss'))} | {pct(self.quality_preservation)} |\n")


def judged_comparison(prompts: Sequence[str], ours: System, reference: System, judge: PairwiseJudge,
                      view: JudgeView, *, reference_name: str, conversation_prefix: str = "judge",
                      progress: Callable[[int, int], None] | None = None) -> JudgedResult:
    """Answer each prompt with both systems and have ``judge`` compare the answers as
    ``view`` shows them. A prompt the view withholds is not answered; nothing of an
    answer the view withholds reaches the judge."""
    result = JudgedResult(view.name, reference_name, getattr(judge.backend, "name", type(judge.backend).__name__))
    for i, prompt in enumerate(prompts):
        cid = f"{conversation_prefix}-{i}"
        query = view.query(prompt, cid)
        if query is None:
            result.judgements.append(Judgement(i, "withheld", withheld="prompt"))
        else:
            shown = [view.answer(system(prompt, cid), cid) for system in (ours, reference)]
            if shown[0] is None or shown[1] is None:
                result.judgements.append(Judgement(i, "withheld", withheld="answer"))
            else:
                outcome, first, second = judge.compare(query, shown[0], shown[1])
                result.judgements.append(Judgement(i, outcome, first.value, second.value))
        if progress is not None:
            progress(i + 1, len(prompts))
    return result
