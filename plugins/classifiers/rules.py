"""Rules classifier: regular expressions with validation (checksums, ranges) for personal
data and secrets; fast, and light (python-stdnum validates national and tax IDs).

The text is first folded into a working string (invisible characters dropped, NFKC,
foreign digits to ASCII, look-alike letters in mixed-script words; see :mod:`.normalize`),
every detector scans that (a text with white-space control characters is read twice,
see :func:`.normalize.readings`), and each hit is mapped back onto the original text, so
``text[span.start:span.end]`` is exactly what the user wrote, zero-width characters
inside it included. Detectors: secrets by pattern (:mod:`.secret_patterns`) and by the
syntax that binds them (:mod:`.credential_syntax`), personal data (:mod:`.pii_patterns`),
national, tax and health IDs (:mod:`.national_ids`, :mod:`.checked_ids`,
:mod:`.record_numbers`), phone numbers and street addresses (:mod:`.phone_numbers`,
:mod:`.addresses`), people named by a chat transcript's speaker labels or a
person-name key (:mod:`.named_values`), values split, spelled out, given in pieces or encoded to hide them,
wallet seed phrases, and Markdown table columns. docs/rules_classifier.md lists what each
finds.
"""
from __future__ import annotations

from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Span

from .addresses import addresses
from .checked_ids import checked_ids
from .credential_syntax import credentials
from .encoded_values import encoded_secrets
from .hits import Detector
from .named_values import named_values
from .national_ids import national_ids
from .normalize import readings
from .partial_values import partial_values
from .phone_numbers import phone_numbers
from .pii_patterns import PII_DETECTORS
from .record_numbers import record_numbers
from .secret_patterns import SECRET_DETECTORS
from .seed_phrases import seed_phrases
from .spelled_values import spelled_values
from .split_values import split_values
from .table_values import table_values


class RulesClassifier:
    """Regex + validation detectors for PII and secrets (levels from the level policy)."""

    name = "rules"
    inline = True
    detectors: tuple[Detector, ...] = (SECRET_DETECTORS + PII_DETECTORS
                                       + (national_ids, split_values, encoded_secrets, table_values, credentials,
                                          spelled_values, seed_phrases, partial_values, checked_ids, record_numbers,
                                          phone_numbers, addresses, named_values))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def classify(self, text: str, context: ClassifyContext | None = None) -> list[Span]:
        """Spans of personal data and secrets in ``text``, with original offsets."""
        spans: dict[tuple[int, int, str], Span] = {}
        for norm in readings(text):
            for detect in self.detectors:
                for hit in detect(norm):
                    start, end = norm.to_original(hit.start, hit.end)
                    key = (start, end, hit.entity_type)
                    if end > start and key not in spans:
                        spans[key] = Span(start, end, hit.entity_type, self.settings.level_of(hit.entity_type),
                                          hit.score, self.name, text[start:end])
        return _drop_contained(sorted(spans.values(), key=lambda s: (s.start, -s.end, -s.score)))


def _drop_contained(spans: list[Span]) -> list[Span]:
    """Drop spans lying inside the farthest-reaching span kept so far when it is of at
    least their level (an e-mail inside a connection string, a provider key also seen as
    a high-entropy token); ``spans`` is sorted by start, longest first, surest first (of
    two detections of one value, the validated type wins). Linear."""
    kept: list[Span] = []
    reach: Span | None = None
    for s in spans:
        if reach is not None and s.end <= reach.end and reach.level >= s.level:
            continue
        kept.append(s)
        if reach is None or s.end > reach.end:
            reach = s
    return kept


@hookimpl
def register_classifiers(register):
    register(RulesClassifier)
