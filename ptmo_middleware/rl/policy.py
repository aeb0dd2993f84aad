"""A trained SB3 router policy, run in NumPy for sub-millisecond decisions.

The SB3 zip is loaded once (torch is needed then); the actor's layers (PPO/A2C: the
policy MLP and the action head; DQN: the Q-network) are copied into NumPy arrays. A
decision is the best-scoring action among those the remaining budget can pay
(``LOCAL`` costs nothing, so one always can); a request in which nothing was found goes
to the cloud without asking the network (keeping it local would buy no privacy).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np

from .features import NOTHING_FOUND_INDEX, REMAINING_INDEX, RISK_SLICE, Action

_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "Tanh": np.tanh, "ReLU": lambda x: np.maximum(x, 0.0), "Identity": lambda x: x,
}
SHIPPED = Path(__file__).with_name("data") / "ppo_router.zip"


def _stack(state: dict[str, Any], prefixes: list[str], activation: str) -> list[tuple[np.ndarray, np.ndarray] | str]:
    """Linear layers under ``prefixes`` (in order), the activation between hidden ones."""
    linear = []
    for prefix in prefixes:
        names = sorted({k.rsplit(".", 1)[0] for k in state if k.startswith(prefix) and k.endswith(".weight")},
                       key=lambda n: [int(t) if t.isdigit() else t for t in n.split(".")])
        linear += [(state[f"{n}.weight"].detach().cpu().numpy().astype(np.float64).T,
                    state[f"{n}.bias"].detach().cpu().numpy().astype(np.float64)) for n in names]
    out: list[tuple[np.ndarray, np.ndarray] | str] = []
    for i, layer in enumerate(linear):
        out.append(layer)
        if i < len(linear) - 1:
            out.append(activation)
    return out


def _layers_of(state: dict[str, Any], policy_kwargs: dict[str, Any]) -> list[tuple[np.ndarray, np.ndarray] | str]:
    act = policy_kwargs.get("activation_fn")
    if any(k.startswith("q_net.q_net.") for k in state):
        return _stack(state, ["q_net.q_net."], act.__name__ if act else "ReLU")
    if any(k.startswith("action_net.") for k in state):
        return _stack(state, ["mlp_extractor.policy_net.", "action_net."], act.__name__ if act else "Tanh")
    raise ValueError("not an SB3 PPO, A2C or DQN policy")


class NumpyPolicy:
    """Scores actions for an observation (``features.observation``)."""

    def __init__(self, layers: list[tuple[np.ndarray, np.ndarray] | str], source: str = "") -> None:
        self.layers = layers
        self.source = source

    @classmethod
    def load(cls, path: str | Path = SHIPPED) -> "NumpyPolicy":
        """Read the policy of an SB3 PPO/A2C/DQN zip (without building the algorithm)."""
        import torch
        from stable_baselines3.common.save_util import load_from_zip_file

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"router policy {path} not found; train one with `ptmo train-router`")
        torch.set_num_threads(1)
        data, params, _ = load_from_zip_file(path, device="cpu", print_system_info=False)
        if not params or "policy" not in params:
            raise ValueError(f"{path} holds no policy parameters")
        return cls(_layers_of(params["policy"], (data or {}).get("policy_kwargs", {})), str(path))

    @classmethod
    def from_model(cls, model: Any) -> "NumpyPolicy":
        """From an SB3 model in memory."""
        return cls(_layers_of(model.policy.state_dict(), model.policy_kwargs))

    def scores(self, obs: np.ndarray) -> np.ndarray:
        x = np.asarray(obs, dtype=np.float64)
        for layer in self.layers:
            x = _ACTIVATIONS[layer](x) if isinstance(layer, str) else x @ layer[0] + layer[1]
        return x

    def decide(self, obs: np.ndarray, scores: np.ndarray | None = None) -> Action:
        """What the ``rl`` router does with an observation (see the module doc);
        ``scores``: this observation's, if already computed."""
        if obs[NOTHING_FOUND_INDEX] >= 0.5:
            return Action.CLOUD
        scores = self.scores(obs) if scores is None else scores
        return Action(int(np.argmax(np.where(affordable(obs), scores, -np.inf))))


def affordable(obs: np.ndarray) -> np.ndarray:
    """Per action, whether the remaining budget pays its risk (``LOCAL`` always)."""
    return np.concatenate([[True], obs[RISK_SLICE] <= max(float(obs[REMAINING_INDEX]), 0.0) + 1e-9])


