"""QLoRA vs 16-bit LoRA on a GPU: peak memory and tokens/s (for a session with a device).

Runs as one command on a CUDA machine where torch, transformers, peft and bitsandbytes
(``pip install '.[gpu]'``) are installed; the figures in benchmarks/results/qlora_gpu.md
came from one H100 80GB (see that file for the command and the date).
``--shape tiny`` is a CPU smoke run of the script itself (skips bitsandbytes recipes).

Model: a Llama-3.2-3B-shaped model built from its config with random weights (memory and
speed do not depend on weight values), saved once in bf16 and loaded like any checkpoint,
with a minimal word-level tokenizer (the batches are random token ids), so the script
needs no model download and no packaged weights.
LoRA r=16 on every linear layer of the blocks, random token batches, every token a target.
Each recipe runs in a fresh subprocess so peak memory is its own:

* ``lora16``    16-bit LoRA, AdamW, transformers' own loss (anchor: 13.8 GiB, 4169 tok/s at 2x512)
* ``textbook``  QLoRA nf4 + prepare_model_for_kbit_training + paged AdamW 8-bit, transformers' loss
                (anchor: 13.7 GiB, 2537 tok/s at 2x512)
* ``ours``      the LoRATrainer path: nf4 (double quant, bf16 compute), no fp32 up-casts,
                non-reentrant gradient checkpointing, chunked reply-only loss, paged AdamW 8-bit
                (goal: 2x512 within 8 GiB at >= 2537 tok/s)

Then ``ours`` again on a Gemma 3 270M-shaped model (the embedded model's shape, random
weights). Energy per 1k tokens comes from NVML when present. Writes benchmarks/results/qlora_gpu.md.

    python benchmarks/qlora_gpu.py [--steps 10] [--shape llama-3.2-3b|tiny]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
RESULTS = Path(__file__).resolve().parent / "results" / "qlora_gpu.md"
SHAPES = {
    "llama-3.2-3b": dict(model_type="llama", vocab_size=128256, hidden_size=3072, intermediate_size=8192,
                         num_hidden_layers=28, num_attention_heads=24, num_key_value_heads=8, head_dim=128,
                         max_position_embeddings=131072, rope_theta=500000.0, tie_word_embeddings=True,
                         rms_norm_eps=1e-5),
    "gemma-3-270m": dict(model_type="gemma3_text", vocab_size=262144, hidden_size=640, intermediate_size=2048,
                         num_hidden_layers=18, num_attention_heads=4, num_key_value_heads=1, head_dim=256,
                         query_pre_attn_scalar=256, sliding_window=512, max_position_embeddings=32768,
                         tie_word_embeddings=True),
    "tiny": dict(model_type="llama", vocab_size=1024, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                 num_attention_heads=2, num_key_value_heads=1, head_dim=32, max_position_embeddings=1024),
}
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
ANCHORS = {("lora16", 2): (13.8, 4169), ("textbook", 2): (13.7, 2537), ("textbook", 1): (9.8, 1396)}


def build_model(shape: str, target: Path) -> Path:
    """Save a random-weight model of ``shape`` in bf16 to ``target`` (once), with a
    minimal tokenizer beside it (the trainer loads one; the batches are random ids)."""
    import torch
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    if (target / "config.json").exists():
        return target
    spec = dict(SHAPES[shape])
    config = AutoConfig.for_model(spec.pop("model_type"), **spec)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config).to(torch.bfloat16)
    model.save_pretrained(target)
    del model
    vocab = {"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3}
    PreTrainedTokenizerFast(tokenizer_object=Tokenizer(WordLevel(vocab, unk_token="<unk>")), pad_token="<pad>",
                            eos_token="<eos>", bos_token="<bos>", unk_token="<unk>").save_pretrained(target)
    return target


def _measure(step, batch: int, seq: int, steps: int) -> dict[str, float]:
    import torch

    from ptmo_lab.evaluation.profiler import NvmlMeter

    nvml = NvmlMeter()
    step()  # warm-up (allocations, autotuning)
    if torch.cuda.is_available():
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    e0 = nvml.energy_j() if nvml.available else None
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
        peak = torch.cuda.max_memory_allocated() / 2**30
    else:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    seconds = time.perf_counter() - t0
    tokens = batch * seq * steps
    e1 = nvml.energy_j() if nvml.available else None
    joules = None if e0 is None or e1 is None else round((e1 - e0) / tokens * 1000, 1)
    return {"peak_gib": round(peak, 2), "tokens_per_s": round(tokens / seconds, 1), "j_per_1k_tokens": joules}


def run_recipe(recipe: str, model_dir: str, batch: int, seq: int, steps: int, loss_chunk: int = 512) -> dict[str, float]:
    """One recipe's peak memory and tokens/s (call in a fresh process)."""
    import torch
    from peft import LoraConfig, get_peft_model

    from ptmo_lab.personalization.trainer import LoRATrainer, TrainingConfig, response_loss

    torch.manual_seed(0)
    cuda = torch.cuda.is_available()
    lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=TARGETS, task_type="CAUSAL_LM")
    if recipe == "ours":
        trainer = LoRATrainer(TrainingConfig(r=16, alpha=32, dropout=0.0, target_modules=TARGETS))
        trainer.setup_model(model_dir)
        model = trainer.setup_lora("bench")
        optimizer = trainer._optimizer([p for p in model.parameters() if p.requires_grad])
        autocast = trainer._autocast
        vocab = model.config.vocab_size
    else:
        from transformers import AutoModelForCausalLM

        kwargs: dict = {"dtype": torch.bfloat16 if cuda else torch.float32}
        if recipe == "textbook":
            from peft import prepare_model_for_kbit_training
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=torch.bfloat16)
        model = AutoModelForCausalLM.from_pretrained(model_dir, device_map={"": 0} if cuda else None, **kwargs)
        if recipe == "textbook":
            model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=True)
        else:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
            model.enable_input_require_grads()
        model = get_peft_model(model, lora)
        params = [p for p in model.parameters() if p.requires_grad]
        if recipe == "textbook":
            import bitsandbytes as bnb

            optimizer = bnb.optim.PagedAdamW8bit(params, lr=1e-4)
        else:
            optimizer = torch.optim.AdamW(params, lr=1e-4)
        import contextlib

        autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if cuda else contextlib.nullcontext
        vocab = model.config.vocab_size
    model.train()
    device = "cuda" if cuda else "cpu"
    ids = torch.randint(0, vocab, (batch, seq), device=device)
    batch_dict = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids.clone()}

    def step() -> None:
        with autocast():
            if recipe == "ours":
                loss_sum, n = response_loss(model, batch_dict, loss_chunk)
                loss = loss_sum / n
            else:
                loss = model(**batch_dict).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return _measure(step, batch, seq, steps)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--seq", type=int, default=512)
    ap.add_argument("--shape", choices=sorted(SHAPES), default="llama-3.2-3b")
    ap.add_argument("--recipes", default="lora16,textbook,ours")
    ap.add_argument("--loss-chunk", type=int, default=512, help="rows of logits per chunk in ours' loss")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "ptmo-qlora-bench"))
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: recipe,model_dir,batch
    args = ap.parse_args()
    if args.one:
        recipe, model_dir, batch = args.one.split(",")
        print(json.dumps(run_recipe(recipe, model_dir, int(batch), args.seq, args.steps, args.loss_chunk)))
        return

    import torch

    model_dir = build_model(args.shape, Path(args.workdir) / args.shape)
    recipes = args.recipes.split(",")
    if not torch.cuda.is_available():  # bitsandbytes 4-bit needs CUDA: a CPU run smoke-tests the rest
        recipes = [r for r in recipes if r != "textbook"]
    runs = [(r, str(model_dir), b) for r in recipes for b in (2, 1)]
    if args.shape != "tiny":
        runs.append(("ours", str(build_model("gemma-3-270m", Path(args.workdir) / "gemma-3-270m")), 2))
    rows = []
    for recipe, mdir, batch in runs:
        proc = subprocess.run([sys.executable, __file__, "--one", f"{recipe},{mdir},{batch}",
                               "--steps", str(args.steps), "--seq", str(args.seq), "--loss-chunk", str(args.loss_chunk)], capture_output=True, text=True)
        if proc.returncode != 0:
            rows.append((recipe, mdir, batch, None, proc.stderr.strip().splitlines()[-1:]))
            continue
        rows.append((recipe, mdir, batch, json.loads(proc.stdout.strip().splitlines()[-1]), None))
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU (smoke run)"
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    lines = ["## QLoRA vs 16-bit LoRA on a GPU", "",
             f"Device: {gpu}. torch {torch.__version__}. LoRA r=16 on all block linears, gradient checkpointing, "
             f"{args.steps} timed steps after one warm-up, random tokens, sequence {args.seq}. Date: {date}.", "",
             "| model | recipe | batch x tokens | peak GPU memory | tokens/s | J per 1k tokens (NVML) | anchor |",
             "|---|---|---|---|---|---|---|"]
    for recipe, mdir, batch, res, err in rows:
        model = f"{Path(mdir).name} (random weights)"
        anchor = ANCHORS.get((recipe, batch)) if args.shape != "tiny" and "gemma" not in mdir else None
        anchor_s = f"{anchor[0]} GiB, {anchor[1]} tok/s" if anchor else "-"
        if res is None:
            lines.append(f"| {model} | {recipe} | {batch} x {args.seq} | failed: {' '.join(err or [])} | - | - | {anchor_s} |")
        else:
            lines.append(f"| {model} | {recipe} | {batch} x {args.seq} | {res['peak_gib']} GiB | "
                         f"{res['tokens_per_s']:.0f} | {res['j_per_1k_tokens'] or '-'} | {anchor_s} |")
    lines += ["", f"Reproduce: `python benchmarks/qlora_gpu.py --steps {args.steps} --shape {args.shape}`", ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if args.shape != "tiny":  # a smoke run does not overwrite measured figures
        RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
