"""Training the router: PPO-Lagrangian (and A2C, DQN variants) with dual ascent on lambda.

The Lagrange multiplier is a real dual variable: every ``update_every`` steps,
``lambda <- max(0, lambda + lr * (mean overshoot - target))`` over the sessions that
ended since the last update (overshoot = max(0, sum risk - epsilon)), the constraint
E[overshoot] <= target made a penalty in the reward (as OpenAI's Safety Gym PPO-Lagrangian
baselines do with their cost limit). The multiplier is pushed into the environments,
which pay ``R - lambda * c_t``.

``python -m ptmo_middleware.rl.train --algo ppo --timesteps 200000 --seed 0`` writes
``ppo_router.zip`` (and a JSON of how it was trained) to ``--out``.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

ALGOS = ("ppo", "a2c", "dqn")
DATA_DIR = Path(__file__).with_name("data")


@dataclass
class DualAscent:
    """State of the multiplier."""

    lr: float = 0.5
    target: float = 0.002
    value: float = 0.0
    history: list[tuple[int, float, float]] = field(default_factory=list)

    def update(self, step: int, overshoots: list[float]) -> float:
        if overshoots:
            mean = float(np.mean(overshoots))
            self.value = max(0.0, self.value + self.lr * (mean - self.target))
            self.history.append((step, mean, self.value))
        return self.value


def _callback(dual: DualAscent, update_every: int, on_step: Callable[[int], None] | None):
    from stable_baselines3.common.callbacks import BaseCallback

    class LagrangeCallback(BaseCallback):
        """Collects the overshoot of finished sessions; updates lambda by dual ascent."""

        def __init__(self) -> None:
            super().__init__()
            self.pending: list[float] = []

        def _on_step(self) -> bool:
            for info, done in zip(self.locals["infos"], self.locals["dones"]):
                if done and "overshoot" in info:
                    self.pending.append(info["overshoot"])
            if self.num_timesteps % update_every < self.training_env.num_envs:
                lam = dual.update(self.num_timesteps, self.pending)
                self.pending = []
                self.training_env.set_attr("lagrange", lam)
                self.logger.record("lagrange/lambda", lam)
            if on_step is not None:
                on_step(self.training_env.num_envs)
            return True

    return LagrangeCallback()


def make_env(split: str = "train", **kwargs: Any):
    """The environment over a featurised pool of ``split``."""
    from .calibration import calibrate
    from .corpus import build_pool
    from .env import OffloadEnv

    return OffloadEnv(build_pool(split), calibrate("train"), **kwargs)


def make_model(algo: str, env: Any, seed: int) -> Any:
    """An SB3 model with a small MLP policy."""
    import stable_baselines3 as sb3

    net = [64, 64]
    if algo == "ppo":
        return sb3.PPO("MlpPolicy", env, n_steps=2048, batch_size=256, n_epochs=5, gamma=0.97, learning_rate=3e-4,
                       ent_coef=0.01, policy_kwargs={"net_arch": net}, seed=seed, device="cpu", verbose=0)
    if algo == "a2c":
        return sb3.A2C("MlpPolicy", env, n_steps=20, gamma=0.97, learning_rate=7e-4, ent_coef=0.01,
                       policy_kwargs={"net_arch": net}, seed=seed, device="cpu", verbose=0)
    if algo == "dqn":
        return sb3.DQN("MlpPolicy", env, learning_starts=2000, buffer_size=50_000, batch_size=128, gamma=0.97,
                       train_freq=4, target_update_interval=1000, exploration_fraction=0.3,
                       exploration_final_eps=0.02, learning_rate=5e-4, policy_kwargs={"net_arch": net},
                       seed=seed, device="cpu", verbose=0)
    raise ValueError(f"unknown algorithm {algo!r}; use one of {', '.join(ALGOS)}")


def train(algo: str = "ppo", timesteps: int = 200_000, seed: int = 0, out: Path | None = None,
          update_every: int = 2048, dual: DualAscent | None = None,
          on_step: Callable[[int], None] | None = None, **env_kwargs: Any) -> tuple[Any, dict[str, Any]]:
    """Train one policy; save ``<algo>_router.zip`` and its record under ``out`` if given.
    ``env_kwargs`` go to the environment (``weights=RewardWeights(...)``, ``horizon``...)."""
    import torch

    torch.set_num_threads(1)
    env = make_env("train", **env_kwargs)
    model = make_model(algo, env, seed)
    dual = dual or DualAscent()
    t0 = time.perf_counter()
    model.learn(total_timesteps=timesteps, callback=_callback(dual, update_every, on_step))
    record = {
        "algo": algo, "timesteps": timesteps, "seed": seed, "seconds": round(time.perf_counter() - t0, 1),
        "final_lambda": dual.value, "lambda_history": dual.history[-20:], "dual_lr": dual.lr,
        "dual_target": dual.target, "pool": env.pool.meta, "weights": vars(env.weights),
        "command": f"python -m ptmo_middleware.rl.train --algo {algo} --timesteps {timesteps} --seed {seed}",
    }
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        model.save(out / f"{algo}_router.zip")
        (out / f"{algo}_router.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return model, record


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--algo", choices=ALGOS, default="ppo")
    ap.add_argument("--timesteps", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    args = ap.parse_args(argv)
    _, record = train(args.algo, args.timesteps, args.seed, args.out)
    print(json.dumps({k: v for k, v in record.items() if k != "lambda_history"}, indent=1))


if __name__ == "__main__":
    main()
