"""Export a LoRA adapter as an Ollama model: base model + adapter, through the ``ollama``
client's create API.

The adapter files (PEFT ``adapter_model.safetensors`` and ``adapter_config.json``) are
uploaded as blobs (``POST /api/blobs/sha256:<digest>``), then ``POST /api/create`` with
``{"model": name, "from": base, "adapters": {filename: digest}}`` builds the model; the
``ollama`` backend can then answer with ``local="ollama:<name>"``. Ollama accepts
safetensors LoRA adapters for Llama, Mistral and Gemma bases; the adapter must have been
trained on the same base model it is applied to.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ptmo_middleware.errors import BackendError
from ptmo_middleware.personalization.adapters import ADAPTER_FILES, AdapterError, AdapterStore


def adapter_directory(adapter: str, store: AdapterStore | None = None) -> Path:
    """The directory of ``adapter``: a PEFT adapter directory, or a name in the store."""
    path = Path(adapter)
    if path.is_dir():
        if not all((path / f).is_file() for f in ADAPTER_FILES):
            raise AdapterError(f"{path} is not a PEFT adapter directory (needs {', '.join(ADAPTER_FILES)})")
        return path
    return (store or AdapterStore()).verify(adapter).path


def export_to_ollama(adapter: str | os.PathLike[str], base: str, name: str, host: str | None = None,
                     store: AdapterStore | None = None, client: Any = None) -> str:
    """Create the Ollama model ``name`` from ``base`` plus ``adapter``; return ``name``.

    ``host`` defaults to the ollama client's own (``OLLAMA_HOST`` or 127.0.0.1:11434).
    """
    import ollama

    directory = adapter_directory(str(adapter), store)
    client = client or ollama.Client(host=host)
    try:
        adapters = {f: client.create_blob(directory / f) for f in ADAPTER_FILES}
        final = None
        for progress in client.create(model=name, from_=base, adapters=adapters, stream=True):
            final = progress.status
    except ollama.ResponseError as exc:
        raise BackendError(f"Ollama refused to create {name!r} from {base!r} + {directory}: {exc.error}") from exc
    except (ConnectionError, OSError) as exc:
        raise BackendError(f"cannot reach the Ollama server to create {name!r}: {exc}") from exc
    if final != "success":
        raise BackendError(f"Ollama did not finish creating {name!r} (last status: {final!r})")
    return name
