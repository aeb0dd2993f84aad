"""LangChain's own standard test suites (PyPI ``langchain-tests``) for
PrivacyRouterChatModel, and our own checks of what the flags rest on. Every flag left
off, and the one standard test marked xfail, is listed with its reason in
docs/integrations.md."""
from __future__ import annotations

import base64
import json
import os
import struct
import zlib
from typing import Any
from unittest import mock

import httpx
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.load import dumpd, load
from langchain_core.messages import HumanMessage
from langchain_tests.conftest import base_vcr_config
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests
from syrupy.assertion import SnapshotAssertion

from ptmo_middleware.errors import ImagesUnsupported
from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel
from recording_backend import RecordingBackend
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)


#: The image the suite's image tests fetch (with httpx.get); served offline here.
SUITE_IMAGE_URL = ("https://raw.githubusercontent.com/langchain-ai/docs/4d11d08b6b0e210bd456943f7a22febbd168b543/"
                   "src/images/agentic-rag-output.png")


def tiny_png() -> bytes:
    """A valid 1x1 RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00"))
            + chunk(b"IEND", b""))


class _Flags:
    """The capabilities PrivacyRouterChatModel declares (see docs/integrations.md)."""

    @property
    def chat_model_class(self) -> type[PrivacyRouterChatModel]:
        return PrivacyRouterChatModel

    @property
    def has_tool_calling(self) -> bool:
        return True

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def has_structured_output(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_model_override(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "llama-3.1-8b-instant"

    @property
    def returns_usage_metadata(self) -> bool:
        return True


class TestPrivacyRouterChatModelUnit(_Flags, ChatModelUnitTests):
    @property
    def chat_model_params(self) -> dict[str, Any]:
        # The key the serialisation round trip reads back from $GROQ_API_KEY (see
        # init_from_env_params): dumpd writes a reference to it, never the value.
        return {"local": "ollama:llama3.2:3b", "cloud": "groq:llama-3.3-70b-versatile", "api_key": "gsk-from-env"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return {"GROQ_API_KEY": "gsk-from-env"}, {}, {"api_key": "gsk-from-env"}

    @pytest.mark.xfail(reason="langchain-core's load(allowed_objects='all') admits only the classes listed in "
                              "its own mapping; the same round trip with this class allowed by name is "
                              "test_round_trip_with_the_class_allowed", raises=ValueError, strict=True)
    def test_serdes(self, model: BaseChatModel, snapshot: SnapshotAssertion) -> None:
        super().test_serdes(model, snapshot)

    def test_round_trip_with_the_class_allowed(self, model: BaseChatModel, snapshot: SnapshotAssertion) -> None:
        """The suite's serialisation round trip, with ``allowed_objects=[PrivacyRouterChatModel]``;
        the API key is a reference to ``$GROQ_API_KEY``, never its value."""
        env_params, _, _ = self.init_from_env_params
        with mock.patch.dict(os.environ, env_params):
            serialized = dumpd(model)
            assert serialized == snapshot(name="serialized")
            assert "gsk-from-env" not in json.dumps(serialized)
            loaded = load(serialized, valid_namespaces=model.get_lc_namespace()[:1],
                          allowed_objects=[PrivacyRouterChatModel], secrets_from_env=True)
            assert model.dict() == loaded.dict()

    def test_live_objects_are_not_serialised(self) -> None:
        """A side that is a live object (a ptmo backend) cannot be rebuilt from JSON:
        ``dumpd`` says so instead of writing a model that would load differently."""
        model = PrivacyRouterChatModel(local=RecordingBackend("local-echo"), cloud="groq:llama-3.3-70b-versatile")
        assert dumpd(model)["type"] == "not_implemented"


class TestPrivacyRouterChatModelIntegration(_Flags, ChatModelIntegrationTests):
    """Runs offline against loopback servers speaking Ollama's and Groq's wire protocols,
    through the real ``ollama`` and ``groq`` clients."""

    @pytest.fixture(autouse=True)
    def _loopback(self, ollama_server: OllamaServer, groq_server: GroqServer) -> None:
        """Fresh servers for every test; OLLAMA_HOST / GROQ_BASE_URL / GROQ_API_KEY point at them."""

    @pytest.fixture(autouse=True)
    def _offline_image(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``httpx.get`` of the suite's image URL answers with :func:`tiny_png` (no
        network here); any other URL goes through."""
        real_get = httpx.get

        def get(url: Any, *args: Any, **kwargs: Any) -> httpx.Response:
            if str(url) == SUITE_IMAGE_URL:
                return httpx.Response(200, content=tiny_png(), request=httpx.Request("GET", url))
            return real_get(url, *args, **kwargs)

        monkeypatch.setattr(httpx, "get", get)

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"local": "ollama:llama3.2:3b", "cloud": "groq:llama-3.3-70b-versatile",
                "router_settings": {"classifiers": ["rules"]}, "allow_images": True}

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_tool_message(self) -> bool:
        return True

    @property
    def enable_vcr_tests(self) -> bool:
        return True


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """langchain-tests' VCR settings (API keys filtered out of cassettes), with the
    cassettes in ``tests/cassettes/test_langchain_standard/`` (pytest-recording's
    ``vcr_cassette_dir``) and requests matched without host and port: they were
    recorded against the loopback Groq server, whose port changes from run to run."""
    config = base_vcr_config()
    del config["cassette_library_dir"]
    config["match_on"] = ["method", "path", "body"]
    return config


# -- what the flags above rest on, checked on the wire --------------------------------------

SECRET = "hunter2xyz"
OVERRIDE = "llama-3.1-8b-instant"


def test_a_per_call_model_reaches_the_cloud_body_only(ollama_server: OllamaServer, groq_server: GroqServer) -> None:
    """``model=`` is the cloud's model for that call (the request body Groq receives);
    the private sentence still goes to the local model, under its own name."""
    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                   router_settings={"classifiers": ["rules"], "thresholds": {"private": "local"},
                                                    "decomposer": "sentence"})
    reply = model.invoke(f"My password is {SECRET}. What is Python?", model=OVERRIDE)
    streamed = list(model.stream("What is Python?", model=OVERRIDE))
    assert [b["model"] for b in groq_server.bodies] == [OVERRIDE, OVERRIDE]
    assert SECRET not in groq_server.received_text
    assert [b["model"] for b in ollama_server.bodies] == ["llama3.2:3b"]
    assert SECRET in json.dumps(ollama_server.bodies[0])
    assert reply.response_metadata["ptmo"]["backends"] == {"local": "ollama:llama3.2:3b", "cloud": f"groq:{OVERRIDE}"}
    assert streamed[-1].response_metadata["model_name"] == f"groq:{OVERRIDE}"
    model.invoke("What is Python?")
    assert groq_server.bodies[-1]["model"] == "llama-3.3-70b-versatile"


async def test_a_per_call_model_reaches_the_cloud_once_per_call_async_and_from_threads(
        ollama_server: OllamaServer, groq_server: GroqServer) -> None:
    """``model=`` from ainvoke, astream and four threads: one body per call, each with
    the override and none with the secret."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                   router_settings={"classifiers": ["rules"], "thresholds": {"private": "local"},
                                                    "decomposer": "sentence"})
    await model.ainvoke(f"My password is {SECRET}. What is Python?", model=OVERRIDE)
    [chunk async for chunk in model.astream("What is Python?", model=OVERRIDE)]
    with ThreadPoolExecutor(4) as pool:
        await asyncio.gather(*(asyncio.wrap_future(pool.submit(model.invoke, f"What is Python {i}?", model=OVERRIDE))
                               for i in range(4)))
    assert [b["model"] for b in groq_server.bodies] == [OVERRIDE] * 6
    assert SECRET not in groq_server.received_text
    assert sorted(json.dumps(b) for b in groq_server.bodies[2:]) == sorted(
        {json.dumps(b) for b in groq_server.bodies[2:]})  # no body sent twice
    assert [b["model"] for b in ollama_server.bodies] == ["llama3.2:3b"]


def test_a_per_call_model_does_not_change_a_private_route(ollama_server: OllamaServer,
                                                          groq_server: GroqServer) -> None:
    """A request that must stay on the device stays there, whatever ``model=`` says."""
    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                   router_settings={"classifiers": ["rules"], "thresholds": {"private": "local"}})
    reply = model.invoke(f"My password is {SECRET}.", model=OVERRIDE)
    assert reply.response_metadata["ptmo"]["level"] == "PRIVATE"
    assert reply.response_metadata["ptmo"]["left_device"] is False
    assert not groq_server.bodies
    assert [b["model"] for b in ollama_server.bodies] == ["llama3.2:3b"]


def test_a_per_call_model_is_refused_by_a_cloud_that_cannot_switch() -> None:
    """A cloud backend without a per-call model raises before anything is called."""
    cloud = RecordingBackend("cloud-echo")
    model = PrivacyRouterChatModel(local=RecordingBackend("local-echo"), cloud=cloud,
                                   router_settings={"classifiers": ["rules"]})
    with pytest.raises(ValueError, match="cannot be switched per call"):
        model.invoke("What is Python?", model=OVERRIDE)
    assert not cloud.received


# -- images: refused by default, sent as they are with allow_images ----------------------

PNG_URL = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()


def image_message(text: str) -> HumanMessage:
    return HumanMessage([{"type": "text", "text": text},
                         {"type": "image", "base64": PNG_URL.split(",", 1)[1], "mime_type": "image/png"}])


def image_model(**settings: Any) -> PrivacyRouterChatModel:
    return PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile", max_retries=0,
                                  allow_images=True, router_settings={"classifiers": ["rules"], **settings})


def test_an_image_is_refused_without_the_opt_in(ollama_server: OllamaServer, groq_server: GroqServer) -> None:
    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                   router_settings={"classifiers": ["rules"]})
    with pytest.raises(ValueError, match="allow_images=True"):
        model.invoke([image_message("What is in this picture?")])
    assert not groq_server.bodies and not ollama_server.bodies


def test_with_the_opt_in_the_text_is_masked_and_the_image_sent_as_it_is(ollama_server: OllamaServer,
                                                                        groq_server: GroqServer) -> None:
    reply = image_model().invoke([image_message(f"My password is {SECRET}. What is in this picture?")])
    (body,) = groq_server.bodies
    text, image = body["messages"][-1]["content"]
    assert image == {"type": "image_url", "image_url": {"url": PNG_URL}}
    assert "[PASSWORD_1]" in text["text"] and SECRET not in groq_server.received_text
    assert SECRET in reply.text and "[PASSWORD_1]" not in reply.text
    assert not ollama_server.bodies


@pytest.mark.parametrize("url", ["https://example.com/cat.png", "http://127.0.0.1/cat.png"])
def test_an_image_url_is_refused_even_with_the_opt_in(url: str, groq_server: GroqServer) -> None:
    message = HumanMessage([{"type": "text", "text": "What is this?"}, {"type": "image", "url": url}])
    with pytest.raises(ValueError, match="only inline images"):
        image_model().invoke([message])
    assert not groq_server.bodies


def test_an_image_request_that_must_stay_on_the_device_fails_closed(ollama_server: OllamaServer,
                                                                     groq_server: GroqServer) -> None:
    """No local model here can see the image: the request is refused, not split, not
    answered locally without it."""
    with pytest.raises(ImagesUnsupported, match="Nothing was sent to the cloud"):
        image_model(thresholds={"private": "local"}).invoke([image_message(f"My password is {SECRET}.")])
    assert not groq_server.bodies and not ollama_server.bodies


def test_an_image_request_is_not_answered_locally_when_the_cloud_fails(ollama_server: OllamaServer,
                                                                       groq_server: GroqServer) -> None:
    groq_server.failures.append((500, None))
    with pytest.raises(ImagesUnsupported, match="could not answer"):
        image_model().invoke([image_message("What is in this picture?")])
    assert len(groq_server.bodies) == 1 and not ollama_server.bodies
