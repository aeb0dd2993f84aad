"""LoRA / QLoRA training of a personal adapter on the user's own history, on the device.

``LoRATrainer`` keeps the seed's API: ``setup_model``, ``setup_lora``, ``prepare_dataset``,
``train``, ``save``. With CUDA and bitsandbytes it trains QLoRA (4-bit NF4 base, paged
8-bit AdamW, gradient checkpointing); otherwise plain LoRA (fp32 on CPU). The choice is
logged. Training is resumable from its checkpoints, stops early when the held-out loss
stops improving, and only ever reads local files: nothing is downloaded.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Literal

from ptmo_middleware.errors import ConfigError
from ptmo_lab.personalization.dataset import IGNORE_INDEX, Example, collate, encode_turns
from ptmo_lab.personalization.history import HistoryError, Scrubber, ScrubReport, load_history, split_turns

log = logging.getLogger(__name__)

#: LoRA target modules per ``config.model_type``: attention and MLP projections.
TARGET_MODULES: dict[str, list[str]] = {
    **{arch: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
       for arch in ("llama", "mistral", "mixtral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3",
                    "gemma3_text", "phi3", "olmo2", "granite")},
    "gpt2": ["c_attn", "c_proj", "c_fc"],
    "gpt_neox": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "falcon": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "phi": ["q_proj", "k_proj", "v_proj", "dense", "fc1", "fc2"],
}
_CHECKPOINTS = "checkpoints"
_STATE = "trainer_state.pt"


@dataclass
class TrainingConfig:
    """Hyper-parameters and safeguards of one training run."""

    r: int = 8
    alpha: int = 16
    dropout: float = 0.05
    target_modules: list[str] | None = None
    """``None`` picks the architecture's attention + MLP projections (:data:`TARGET_MODULES`)."""
    epochs: int = 2
    max_steps: int | None = None
    batch_size: int = 4
    lr: float = 3e-4
    warmup_steps: int = 5
    max_length: int = 256
    context_messages: int = 2
    """Earlier messages of the conversation kept as context before each prompt."""
    val_fraction: float = 0.1
    eval_every: int = 25
    patience: int = 3
    min_delta: float = 1e-3
    save_every: int = 50
    keep_checkpoints: int = 2
    seed: int = 0
    scrub: Literal["mask", "remove", "off"] = "mask"
    max_history_bytes: int | None = None
    quantization: Literal["auto", "4bit", "none"] = "auto"
    """``auto``: QLoRA when CUDA and bitsandbytes are there, plain LoRA otherwise."""
    num_threads: int | None = None
    progress: bool = True
    loss_chunk: int = 512
    """Reply tokens per chunk of the output projection: the full-vocabulary logits of a
    batch are never materialised at once."""


@dataclass
class TrainResult:
    """What a run did and measured."""

    mode: str
    device: str
    steps: int
    epochs_done: float
    stopped_early: bool
    val_loss_before: float | None
    val_loss_after: float | None
    train_loss_last: float | None
    train_tokens: int
    tokens_per_s: float
    seconds: float
    resumed_from_step: int = 0
    scrubbed: dict[str, int] = field(default_factory=dict)
    n_train: int = 0
    n_val: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def target_modules_for(model: Any) -> list[str]:
    """The LoRA target modules for ``model``'s architecture (every linear layer but the
    output head when the architecture is not in :data:`TARGET_MODULES`)."""
    import torch

    model_type = getattr(getattr(model, "config", None), "model_type", "")
    if model_type in TARGET_MODULES:
        return list(TARGET_MODULES[model_type])
    names = {n.rsplit(".", 1)[-1] for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    names.discard("lm_head")
    if not names:
        raise ConfigError(f"no linear layers to adapt in a {model_type or type(model).__name__} model")
    return sorted(names)


def _bitsandbytes_available() -> bool:
    try:
        import bitsandbytes  # noqa: F401
    except ImportError:
        return False
    return True


def response_loss(model: Any, batch: dict[str, Any], chunk: int = 512) -> tuple[Any, int]:
    """Summed cross-entropy over the reply tokens of ``batch``, and their count.

    Runs the decoder, keeps the hidden states of the positions that predict a reply
    token, and applies the output head to them in chunks (recomputed in the backward
    pass when there is more than one), so a 262k-token vocabulary costs ``chunk`` rows of
    logits at a time.
    """
    import torch
    import torch.nn.functional as F
    from torch.utils.checkpoint import checkpoint

    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    hidden = base.get_decoder()(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                                use_cache=False).last_hidden_state
    labels = batch["labels"][:, 1:]
    keep = labels != IGNORE_INDEX
    h, y = hidden[:, :-1][keep], labels[keep]
    head = base.get_output_embeddings()
    cap = getattr(base.config, "final_logit_softcapping", None)

    def chunk_loss(hc: torch.Tensor, yc: torch.Tensor) -> torch.Tensor:
        logits = head(hc).float()
        if cap:
            logits = torch.tanh(logits / cap) * cap
        return F.cross_entropy(logits, yc, reduction="sum")

    if y.numel() <= chunk:  # one chunk: nothing to gain from recomputing it
        return chunk_loss(h, y), int(y.numel())
    total = hidden.new_zeros((), dtype=torch.float32)
    for i in range(0, y.numel(), chunk):
        args = (h[i:i + chunk], y[i:i + chunk])
        total = total + (checkpoint(chunk_loss, *args, use_reentrant=False)
                         if torch.is_grad_enabled() else chunk_loss(*args))
    return total, int(y.numel())


class LoRATrainer:
    """Trains a LoRA adapter on a user's history: ``setup_model`` -> ``setup_lora`` ->
    ``prepare_dataset`` -> ``train`` -> ``save`` (as in the seed)."""

    def __init__(self, config: TrainingConfig | None = None, output_dir: str | os.PathLike[str] = "./lora_adapters/personal",
                 classify: Callable[[str], Any] | None = None, **overrides: Any) -> None:
        self.config = replace(config or TrainingConfig(), **overrides)
        self.output_dir = Path(output_dir)
        self.classify = classify
        self.model: Any = None
        self.tokenizer: Any = None
        self.base_model_name = ""
        self.mode = ""
        self.device = "cpu"
        self.adapter_name = "personal"
        self.train_examples: list[Example] = []
        self.val_examples: list[Example] = []
        self.scrub_report: ScrubReport | None = None
        self.result: TrainResult | None = None

    # -- model -----------------------------------------------------------------------
    def _choose_mode(self) -> tuple[str, str]:
        import torch

        q = self.config.quantization
        if not torch.cuda.is_available():
            if q == "4bit":
                raise ConfigError("4-bit QLoRA needs a CUDA GPU; none is available (use quantization='none')")
            return "lora", "cpu"
        if q == "none":
            return "lora", "cuda"
        if not _bitsandbytes_available():
            if q == "4bit":
                raise ConfigError("4-bit QLoRA needs bitsandbytes: pip install 'ptmo-middleware[gpu]'")
            log.warning("CUDA found but bitsandbytes is not installed: 16-bit LoRA instead of QLoRA "
                        "(pip install 'ptmo-middleware[gpu]')")
            return "lora", "cuda"
        return "qlora", "cuda"

    def setup_model(self, model_name_or_path: str | os.PathLike[str] | None = None) -> Any:
        """Load the base model: a local transformers directory, a model id already in the
        local Hugging Face cache, or (``None``) the embedded Gemma 3 270M."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from ptmo_middleware.backends.local_model import DEFAULT_MODEL_DIRNAME, ensure_converted, load_base_model

        if self.config.num_threads:
            torch.set_num_threads(self.config.num_threads)
        self.mode, self.device = self._choose_mode()
        default = model_name_or_path is None
        source = str(ensure_converted()) if default else str(model_name_or_path)
        self.base_model_name = DEFAULT_MODEL_DIRNAME if default else source
        dtype = torch.float32 if self.device == "cpu" else torch.bfloat16
        try:
            if self.mode == "qlora":
                from transformers import BitsAndBytesConfig

                quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                           bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=dtype)
                if default:  # the cache holds GGUF blocks: its weights come as a state dict
                    self.model, self.tokenizer = load_base_model(None, dtype=dtype, quantization_config=quant,
                                                                 device_map={"": 0})
                else:
                    self.model = AutoModelForCausalLM.from_pretrained(
                        source, quantization_config=quant, dtype=dtype, device_map={"": 0}, local_files_only=True)
                    self.tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
            elif default or Path(source).is_dir():
                self.model, self.tokenizer = load_base_model(None if default else source, dtype=dtype)
            else:
                self.tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
                self.model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, local_files_only=True)
        except OSError as exc:
            raise ConfigError(f"base model {source!r} is neither a local directory nor in the local "
                              f"model cache (nothing is downloaded): {exc}") from None
        if self.mode == "qlora":
            log.info("CUDA found: QLoRA (4-bit NF4 base, paged AdamW 8-bit, gradient checkpointing)")
        else:
            self.model.to(self.device)
            log.info("%s: plain LoRA (%s weights)", "no CUDA" if self.device == "cpu" else "CUDA without 4-bit",
                     str(dtype).removeprefix("torch."))
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model.config.use_cache = False
        return self.model

    def setup_lora(self, adapter_name: str = "personal", r: int | None = None, alpha: int | None = None,
                   dropout: float | None = None, target_modules: list[str] | None = None) -> Any:
        """Wrap the base model with a fresh LoRA adapter named ``adapter_name``."""
        from peft import LoraConfig, get_peft_model

        if self.model is None:
            self.setup_model()
        cfg = self.config
        self.config = replace(cfg, r=r or cfg.r, alpha=alpha or cfg.alpha,
                              dropout=cfg.dropout if dropout is None else dropout,
                              target_modules=target_modules or cfg.target_modules or target_modules_for(self.model))
        if self.mode == "qlora":
            # The lean recipe: no fp32 up-cast of the frozen weights (prepare_model_for_kbit_training
            # would add several GiB), only input gradients for checkpointing.
            self.model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
            self.model.enable_input_require_grads()
        lora = LoraConfig(r=self.config.r, lora_alpha=self.config.alpha, lora_dropout=self.config.dropout,
                          target_modules=self.config.target_modules, bias="none", task_type="CAUSAL_LM")
        self.adapter_name = adapter_name
        import torch

        torch.manual_seed(self.config.seed)  # the same seed gives the same initial adapter
        self.model = get_peft_model(self.model, lora, adapter_name=adapter_name)
        trainable, total = self.model.get_nb_trainable_parameters()
        log.info("LoRA %r: r=%d alpha=%d on %s: %d trainable of %d parameters", adapter_name, self.config.r,
                 self.config.alpha, ",".join(self.config.target_modules), trainable, total)
        return self.model

    # -- data ------------------------------------------------------------------------
    def prepare_dataset(self, path: str | os.PathLike[str]) -> tuple[int, int]:
        """Load, validate and scrub the history at ``path``, hold out its latest turns,
        and tokenise. Returns ``(n_train, n_val)`` examples."""
        if self.tokenizer is None:
            self.setup_model()
        cfg = self.config
        turns = load_history(path, cfg.max_history_bytes)
        if cfg.scrub != "off":
            turns, self.scrub_report = Scrubber(self.classify, cfg.scrub).scrub(turns)
            log.info("scrubbed %d PRIVATE span(s) from the history (%s)", self.scrub_report.total,
                     ", ".join(f"{k}: {v}" for k, v in sorted(self.scrub_report.by_type.items())) or "none found")
        else:
            log.warning("secret scrubbing is off: the adapter may memorise secrets in the history")
        turns = [replace(t, context=t.context[-cfg.context_messages:] if cfg.context_messages else ())
                 for t in turns]
        train, val = split_turns(turns, cfg.val_fraction)
        self.train_examples = encode_turns(self.tokenizer, train, cfg.max_length)
        self.val_examples = encode_turns(self.tokenizer, val, cfg.max_length)
        if not self.train_examples:
            raise HistoryError(f"{path}: no turn left to train on after scrubbing and tokenising")
        return len(self.train_examples), len(self.val_examples)

    # -- training --------------------------------------------------------------------
    def _batches(self, examples: list[Example], shuffle_seed: int | None) -> list[list[Example]]:
        order = list(range(len(examples)))
        if shuffle_seed is not None:
            random.Random(shuffle_seed).shuffle(order)
        bs = self.config.batch_size
        return [[examples[i] for i in order[j:j + bs]] for j in range(0, len(order), bs)]

    def _to_device(self, batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v.to(self.device) for k, v in batch.items()}

    def _autocast(self) -> Any:
        import contextlib

        import torch

        if self.device == "cuda":
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def evaluate(self, examples: list[Example] | None = None) -> float | None:
        """Mean loss per reply token on ``examples`` (default: the held-out turns)."""
        import torch

        examples = self.val_examples if examples is None else examples
        if not examples:
            return None
        self.model.eval()
        total, count = 0.0, 0
        with torch.no_grad(), self._autocast():
            for chunk in self._batches(examples, None):
                loss, n = response_loss(self.model, self._to_device(collate(chunk, self.tokenizer.pad_token_id)),
                                        self.config.loss_chunk)
                total, count = total + float(loss), count + n
        self.model.train()
        return total / max(count, 1)

    def _optimizer(self, params: list[Any]) -> Any:
        import torch

        if self.mode == "qlora":
            import bitsandbytes as bnb

            return bnb.optim.PagedAdamW8bit(params, lr=self.config.lr)
        return torch.optim.AdamW(params, lr=self.config.lr)

    def _adapter_state(self) -> dict[str, Any]:
        from peft import get_peft_model_state_dict

        return {k: v.detach().to("cpu", copy=True)
                for k, v in get_peft_model_state_dict(self.model, adapter_name=self.adapter_name).items()}

    def _load_adapter_state(self, state: dict[str, Any]) -> None:
        from peft import set_peft_model_state_dict

        set_peft_model_state_dict(self.model, state, adapter_name=self.adapter_name)

    def _checkpoint_dir(self) -> Path:
        return self.output_dir / _CHECKPOINTS

    def _save_checkpoint(self, step: int, state: dict[str, Any]) -> None:
        import torch

        target = self._checkpoint_dir() / f"step-{step:07d}"
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        torch.save({**state, "adapter": self._adapter_state(), "step": step, "rng": torch.get_rng_state()},
                   tmp / _STATE)
        tmp.rename(target)
        for old in sorted(self._checkpoint_dir().glob("step-???????"))[:-self.config.keep_checkpoints]:
            shutil.rmtree(old, ignore_errors=True)

    def _fingerprint(self) -> str:
        """Identifies the data and settings a checkpoint belongs to."""
        skip = {"progress", "num_threads", "eval_every", "save_every", "keep_checkpoints"}
        h = hashlib.sha256(json.dumps({k: v for k, v in asdict(self.config).items() if k not in skip},
                                      sort_keys=True, default=str).encode())
        for e in self.train_examples:
            h.update(json.dumps(e.labels).encode())
        return h.hexdigest()

    def latest_checkpoint(self) -> Path | None:
        """The newest complete checkpoint under ``output_dir``, if any."""
        found = sorted(self._checkpoint_dir().glob("step-???????"))
        return found[-1] if found else None

    def train(self, resume: bool = True) -> TrainResult:
        """Train until ``epochs`` / ``max_steps`` or early stop; keep the best adapter.

        With ``resume`` (default) a run restarts from the newest checkpoint in
        ``output_dir``, with the same data order, optimiser and schedule state.
        """
        import torch
        from tqdm.auto import tqdm

        if self.model is None or not hasattr(self.model, "peft_config"):
            self.setup_lora()
        if not self.train_examples:
            raise HistoryError("no training data: call prepare_dataset(path) first")
        cfg = self.config
        torch.manual_seed(cfg.seed)
        per_epoch = math.ceil(len(self.train_examples) / cfg.batch_size)
        total_steps = cfg.max_steps or per_epoch * cfg.epochs
        params = [p for p in self.model.parameters() if p.requires_grad]
        optimizer = self._optimizer(params)
        warm = max(cfg.warmup_steps, 1)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(total_steps - warm, 1))))
        state: dict[str, Any] = {"best_val": None, "bad_evals": 0, "val_before": None, "tokens": 0,
                                 "seconds": 0.0, "stopped": False}
        start_step = 0
        fingerprint = self._fingerprint()
        ckpt = self.latest_checkpoint() if resume else None
        saved = torch.load(ckpt / _STATE, map_location="cpu", weights_only=False) if ckpt else None
        if saved is not None and saved["run"].get("fingerprint") != fingerprint:
            log.warning("ignoring checkpoints in %s: they belong to another dataset or configuration",
                        self._checkpoint_dir())
            saved = None
        if saved is None:  # a fresh run starts clean
            shutil.rmtree(self._checkpoint_dir(), ignore_errors=True)
        else:
            self._load_adapter_state(saved["adapter"])
            optimizer.load_state_dict(saved["optimizer"])
            scheduler.load_state_dict(saved["scheduler"])
            torch.set_rng_state(saved["rng"])
            state = saved["run"]
            start_step = saved["step"]
            log.info("resuming from %s (step %d of %d)", ckpt, start_step, total_steps)
        state["fingerprint"] = fingerprint
        best_path = self._checkpoint_dir() / "best.pt"
        if state["val_before"] is None and self.val_examples:
            state["val_before"] = self.evaluate()
            state["best_val"] = state["val_before"]
            best_path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(self._adapter_state(), best_path)  # the untrained adapter is the one to beat
        stopped_early, last_loss = state["stopped"], None
        self.model.train()
        bar = tqdm(total=total_steps, initial=start_step, desc=f"LoRA ({self.mode}, {self.device})",
                   disable=not cfg.progress, unit="step")
        step = start_step
        t0 = time.perf_counter()
        while step < total_steps and not stopped_early:
            epoch, offset = divmod(step, per_epoch)
            batches = self._batches(self.train_examples, cfg.seed + epoch)
            for batch_examples in batches[offset:]:
                batch = self._to_device(collate(batch_examples, self.tokenizer.pad_token_id))
                with self._autocast():
                    loss_sum, n = response_loss(self.model, batch, cfg.loss_chunk)
                loss = loss_sum / max(n, 1)
                loss.backward()
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                last_loss = float(loss.detach())
                state["tokens"] += int(batch["attention_mask"].sum())
                bar.update(1)
                bar.set_postfix(loss=f"{last_loss:.3f}")
                if self.val_examples and (step % cfg.eval_every == 0 or step == total_steps):
                    val = self.evaluate()
                    assert val is not None
                    if state["best_val"] is None or val < state["best_val"] - cfg.min_delta:
                        state["best_val"], state["bad_evals"] = val, 0
                        torch.save(self._adapter_state(), best_path)
                    else:
                        state["bad_evals"] += 1
                    bar.set_postfix(loss=f"{last_loss:.3f}", val=f"{val:.3f}")
                    if state["bad_evals"] >= cfg.patience:
                        log.info("early stop at step %d: held-out loss has not improved for %d evaluations",
                                 step, cfg.patience)
                        stopped_early = True
                if step % cfg.save_every == 0 or step == total_steps or stopped_early:
                    run = dict(state, seconds=state["seconds"] + time.perf_counter() - t0, stopped=stopped_early)
                    self._save_checkpoint(step, {"optimizer": optimizer.state_dict(),
                                                 "scheduler": scheduler.state_dict(), "run": run})
                if step >= total_steps or stopped_early:
                    break
        bar.close()
        seconds = state["seconds"] + time.perf_counter() - t0
        if self.val_examples and best_path.exists():
            self._load_adapter_state(torch.load(best_path, map_location="cpu", weights_only=True))
        shutil.rmtree(self._checkpoint_dir(), ignore_errors=True)  # finished: nothing left to resume
        self.model.eval()
        sr = self.scrub_report
        self.result = TrainResult(
            mode=self.mode, device=self.device, steps=step, epochs_done=round(step / per_epoch, 3),
            stopped_early=stopped_early, val_loss_before=state["val_before"],
            val_loss_after=self.evaluate(), train_loss_last=last_loss, train_tokens=state["tokens"],
            tokens_per_s=state["tokens"] / seconds if seconds > 0 else 0.0, seconds=round(seconds, 3),
            resumed_from_step=start_step, scrubbed=dict(sr.by_type) if sr else {},
            n_train=len(self.train_examples), n_val=len(self.val_examples))
        return self.result

    def save(self, output_dir: str | os.PathLike[str] | None = None) -> Path:
        """Write the adapter (PEFT safetensors + config) and ``training.json``; return the directory."""
        if self.model is None or not hasattr(self.model, "peft_config"):
            raise ConfigError("nothing to save: set up and train an adapter first")
        target = Path(output_dir) if output_dir else self.output_dir
        target.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(target), selected_adapters=[self.adapter_name])
        nested = target / self.adapter_name
        if self.adapter_name != "default" and nested.is_dir():  # PEFT nests non-default adapters
            for f in nested.iterdir():
                f.replace(target / f.name)
            nested.rmdir()
        info = {"base_model": self.base_model_name, "mode": self.mode, "config": asdict(self.config),
                "result": self.result.to_dict() if self.result else None}
        (target / "training.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
        return target


def train_personal_lora(user_data_path: str | os.PathLike[str], output_dir: str | os.PathLike[str] = "./lora_adapters/personal",
                        base_model: str | None = None, adapter_name: str = "personal",
                        config: TrainingConfig | None = None, classify: Callable[[str], Any] | None = None,
                        **overrides: Any) -> str:
    """Train a personal adapter on the history at ``user_data_path``; return its directory.

    ``classify`` (text -> Classification) finds the secrets to scrub; default: a
    :class:`~ptmo_middleware.router.PrivacyRouter` with every installed classifier.
    ``overrides`` are :class:`TrainingConfig` fields.
    """
    trainer = LoRATrainer(config, output_dir=output_dir, classify=classify, **overrides)
    trainer.setup_model(base_model)
    trainer.setup_lora(adapter_name=adapter_name)
    trainer.prepare_dataset(user_data_path)
    trainer.train()
    return str(trainer.save())
