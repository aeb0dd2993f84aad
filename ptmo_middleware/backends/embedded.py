"""The embedded backend: Gemma 3 270M in this process (transformers, on the CPU),
optionally with a PEFT (LoRA) adapter. No server, no network.

The adapter may also be chosen per call (option ``adapter``: a store name, an adapter
directory or a :class:`~ptmo_middleware.personalization.adapters.Resolution`), which is
how the router applies each principal's adapter; the base model is never reloaded.

The model is loaded once per process on first use (see
:func:`~ptmo_middleware.backends.local_model.load_base_model`) and shared by every
:class:`EmbeddedBackend`; generations run one at a time under a lock. With
``PTMO_EMBEDDED_GENERAL_ADAPTER=on`` the default model gets the shipped General adapter
merged into its weights (:data:`~ptmo_middleware.backends.local_model.GENERAL_ADAPTER_DIR`);
it is off by default: it did not clearly improve answers
(benchmarks/results/general_adapter.md). Store adapters apply on top of it.
"""
from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from typing import Any

from ..errors import BackendError
from ..types import Message
from . import (ADAPTER_OPTION, AsyncTextStream, BackendReply, StopCutter, TextStream, Usage, check_options,
               iterate_in_thread)
from ..personalization.adapters import AdapterStore
from ..personalization.runtime import AdapterRef, AdapterRuntime
from .local_model import CHAT_STOP, load_base_model, merge_general_adapter

#: Answer length when the caller gives no ``max_tokens`` (the model is small and slow-ish).
DEFAULT_MAX_TOKENS = 128

#: Values of ``PTMO_EMBEDDED_PRECISION``: int8 weights (fast) or the GGUF's weights
#: dequantized to fp32, exactly (the cache keeps them as GGUF blocks: local_model).
PRECISIONS = ("int8", "fp32")

#: Values of ``PTMO_EMBEDDED_GENERAL_ADAPTER``: merge the shipped General adapter into
#: the default model, or answer with the plain pre-trained model (the default).
GENERAL_ADAPTER_SETTINGS = ("on", "off")

#: Options beyond the common ones: the per-call adapter.
_EXTRA_OPTIONS = frozenset({ADAPTER_OPTION})

_cache: dict[str | None, tuple[Any, Any, threading.Lock, AdapterRuntime]] = {}
_cache_lock = threading.Lock()


def loaded_model(model_dir: str | None = None, adapter: str | None = None) -> tuple[Any, Any, threading.Lock]:
    """``(base model, tokenizer, generation lock)``, the base loaded once per process.

    ``adapter`` (a name in the adapter store or a PEFT directory) is attached to that same
    base model, once; :func:`adapter_runtime` switches between adapters per generation.
    The model runs with int8 weights (:func:`~ptmo_middleware.backends.int8.quantize_for_cpu`)
    unless ``PTMO_EMBEDDED_PRECISION`` is ``fp32``. ``PTMO_TORCH_THREADS`` sets torch's
    intra-op threads for the process, 1 by default: on 2 cores, two threads decode faster
    only while the second core is idle, and several times slower while another job runs
    (benchmarks/results/embedded_speed.md). The default model (``model_dir`` ``None``)
    gets the shipped General adapter merged in first when :func:`general_adapter_enabled`.
    """
    with _cache_lock:
        if model_dir not in _cache:
            import torch

            precision = _precision()
            general = model_dir is None and general_adapter_enabled()
            torch.set_num_threads(int(os.environ.get("PTMO_TORCH_THREADS") or 1))
            try:
                model, tokenizer = load_base_model(model_dir)
                if general:
                    model = merge_general_adapter(model)
            except (OSError, ValueError, RuntimeError) as exc:
                raise BackendError(f"cannot load the embedded model ({model_dir or 'Gemma 3 270M'}): {exc}") from exc
            if precision == "int8":
                from .int8 import quantize_for_cpu

                quantize_for_cpu(model)
            if model_dir is None:
                _stop_criterion(tokenizer, tuple(CHAT_STOP))  # built now, not during the first answer
            _cache[model_dir] = (model, tokenizer, threading.Lock(), AdapterRuntime(model, AdapterStore()))
        model, tokenizer, lock, runtime = _cache[model_dir]
    if adapter:
        try:
            runtime.prepare(adapter)
        except (OSError, ValueError, RuntimeError) as exc:
            raise BackendError(f"cannot load adapter {adapter!r} on the embedded model: {exc}") from exc
    return model, tokenizer, lock


def _precision() -> str:
    """``PTMO_EMBEDDED_PRECISION``: ``int8`` (the default) or ``fp32``."""
    precision = os.environ.get("PTMO_EMBEDDED_PRECISION", "int8").strip().lower() or "int8"
    if precision not in PRECISIONS:
        raise BackendError(f"PTMO_EMBEDDED_PRECISION must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    return precision


def general_adapter_enabled() -> bool:
    """``PTMO_EMBEDDED_GENERAL_ADAPTER``: ``on`` or ``off`` (the default)."""
    setting = os.environ.get("PTMO_EMBEDDED_GENERAL_ADAPTER", "off").strip().lower() or "off"
    if setting not in GENERAL_ADAPTER_SETTINGS:
        raise BackendError(f"PTMO_EMBEDDED_GENERAL_ADAPTER must be one of {', '.join(GENERAL_ADAPTER_SETTINGS)}, "
                           f"not {setting!r}")
    return setting == "on"


def adapter_runtime(model_dir: str | None = None) -> AdapterRuntime:
    """The adapters attached to the loaded base model of ``model_dir``."""
    loaded_model(model_dir)
    return _cache[model_dir][3]


class EmbeddedBackend:
    """Generate with the in-process model. ``adapter`` is a PEFT adapter directory or the
    name of an adapter in the store (``ptmo lora list``); backends with different adapters
    share one loaded base model. A call's ``adapter`` option (any
    :data:`~ptmo_middleware.personalization.runtime.AdapterRef` but ``None``) replaces
    ``adapter`` for that call only."""

    provider = "embedded"
    per_call_adapter = True

    def __init__(self, adapter: str | None = None, model_dir: str | None = None,
                 max_tokens: int = DEFAULT_MAX_TOKENS) -> None:
        self.adapter = adapter
        self.model_dir = model_dir
        self.max_tokens = max_tokens
        self.name = "embedded" + (f":{adapter}" if adapter else "")

    def load(self) -> None:
        """Load the model now rather than on the first call."""
        loaded_model(self.model_dir, self.adapter)

    def _prepare(self, messages: list[Message], options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        import torch
        from transformers import StoppingCriteriaList

        opts = check_options(options, _EXTRA_OPTIONS)
        model, tokenizer, _ = loaded_model(self.model_dir, self.adapter)
        inputs = tokenizer.apply_chat_template([m.to_dict() for m in messages], add_generation_prompt=True,
                                               return_tensors="pt", return_dict=True)
        temperature = float(opts.get("temperature", 0.0))
        kwargs: dict[str, Any] = {**inputs, "max_new_tokens": int(opts.get("max_tokens", self.max_tokens)),
                                  "do_sample": temperature > 0}
        if temperature > 0:
            kwargs["temperature"] = temperature
        if "timeout" in opts:
            kwargs["max_time"] = float(opts["timeout"])
        stop = list(opts.get("stop", [])) + (CHAT_STOP if self.model_dir is None else [])
        if stop:
            kwargs["stopping_criteria"] = StoppingCriteriaList([_stop_criterion(tokenizer, tuple(stop))])
        if "seed" in opts:
            torch.manual_seed(int(opts["seed"]))
        return kwargs, stop

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One complete answer."""
        stream = self.stream(messages, **options)
        text = "".join(stream)
        return BackendReply(text=text, usage=stream.usage or Usage(), model=self.name, provider=self.provider)

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        """The answer token by token (generation runs in a thread, text via a streamer);
        the stream's ``usage`` is set once it is exhausted."""
        check_options(options, _EXTRA_OPTIONS)
        return TextStream(self._generate(messages, options))

    def _generate(self, messages: list[Message], options: dict[str, Any]) -> Iterator[str | Usage]:
        """Text pieces up to the first stop string, then the call's :class:`Usage`."""
        from transformers import TextIteratorStreamer

        _, tokenizer, lock = loaded_model(self.model_dir, self.adapter)
        target = self._target(options)
        runtime = adapter_runtime(self.model_dir)
        try:
            runtime.prepare(target)  # attach (and verify) before generating: a clear error
        except (OSError, ValueError, RuntimeError) as exc:
            raise BackendError(f"cannot load adapter {_describe(target)} on the embedded model: {exc}") from exc
        with lock, runtime.activated(target) as model:
            kwargs, stop = self._prepare(messages, options)
            streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True,
                                            timeout=float(options.get("timeout") or 600))
            counted: list[int] = []
            failure: list[BaseException] = []

            def generate() -> None:
                try:
                    out = model.generate(**kwargs, streamer=streamer)
                    counted.append(int(out.shape[1] - kwargs["input_ids"].shape[1]))
                except BaseException as exc:  # reported to the consumer below
                    failure.append(exc)
                    streamer.end()

            worker = threading.Thread(target=generate, name="ptmo-embedded-generate", daemon=True)
            worker.start()
            cutter = StopCutter(stop, strip=True)
            for piece in streamer:  # drained to the end even after a stop, so generation ends
                yield cutter.feed(piece)
            yield cutter.flush()
            worker.join()
        if failure:
            raise BackendError(f"embedded generation failed: {failure[0]}") from failure[0]
        yield Usage(int(kwargs["input_ids"].shape[1]), counted[0] if counted else 0)

    def _target(self, options: dict[str, Any]) -> AdapterRef:
        """The adapter(s) of one call: its ``adapter`` option, else the backend's own."""
        chosen = options.get(ADAPTER_OPTION)
        return self.adapter if chosen is None else chosen

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One complete answer, generated in a worker thread."""
        stream = self.astream(messages, **options)
        text = "".join([piece async for piece in stream])
        return BackendReply(text=text, usage=stream.usage or Usage(), model=self.name, provider=self.provider)

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        """The answer token by token, without blocking the event loop (``usage`` as for
        :meth:`stream`)."""
        check_options(options, _EXTRA_OPTIONS)
        return AsyncTextStream(iterate_in_thread(lambda: self._generate(messages, options)))


@functools.lru_cache(maxsize=16)
def _stop_criterion(tokenizer: Any, stop: tuple[str, ...]) -> Any:
    """transformers' stop-string criterion, built once per tokenizer and stop strings:
    building it scans the whole vocabulary (0.75 s for Gemma's 262k tokens, on every
    call when passed as ``stop_strings``); using it keeps no state."""
    from transformers import StopStringCriteria

    return StopStringCriteria(tokenizer, list(stop))


def _describe(target: AdapterRef) -> str:
    """A short name of what is activated, for messages."""
    names = getattr(target, "names", None)
    return "+".join(names) if names is not None else repr(target)
