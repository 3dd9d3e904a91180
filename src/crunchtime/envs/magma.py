"""Magma as a Gymnasium environment (`MagmaEnv`) and its vectorised form (`MagmaVectorEnv`): one step is one
month of the engine's own month function, with Magma's knobs taken from the action (docs/envs.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from crunchtime.envs.worlds import (
    ACTION_HIGH,
    ACTION_LOW,
    OBSERVATION_NAMES,
    Worlds,
)
from crunchtime.model.catalog import load_scenario
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import OUTCOMES, WORLD_OUTCOMES

SEED_BOUND = 2**32  # a seed drawn by the environment (reset without one) is below this


def observation_space() -> spaces.Box:
    """One world's observation: every observable, in OBSERVATION_NAMES order (float64, unbounded)."""
    n = len(OBSERVATION_NAMES)
    return spaces.Box(low=-np.inf, high=np.inf, shape=(n,), dtype=np.float64)


def action_space() -> spaces.Box:
    """One world's action: every knob, in ACTION_NAMES order, within the knob's range (flags: >= 0.5 is on)."""
    return spaces.Box(low=ACTION_LOW.copy(), high=ACTION_HIGH.copy(), dtype=np.float64)


def as_dict(observation: np.ndarray) -> dict[str, np.ndarray]:
    """An observation (or a batch of them, observables last) as the plan language's observables by name."""
    obs = np.asarray(observation)
    return {name: obs[..., i] for i, name in enumerate(OBSERVATION_NAMES)}


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


class MagmaEnv(gym.Env[np.ndarray, np.ndarray]):
    """Magma through crunch time, one month a step (docs/envs.md).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs (a built-in name, a YAML file or a Scenario); each episode's world is drawn from them.
    rewards : mapping, optional
        Reward by world outcome (`WORLD_OUTCOMES`), given in the month the episode ends; defaults
        `DEFAULT_REWARDS`: catastrophe -1, trustworthy obsolescence +1, coordinated pause +0.5, unresolved 0.
    play_out : bool
        False: the episode ends (terminated) at the world's first outcome. True: it runs on to the horizon as
        `crunchtime run` does, ending early only at catastrophe, and is rewarded for the run's classification.

    Seeding: `reset(seed=s)` starts trajectory 0 of seed s; each later `reset()` the next trajectory, so
    episode i after `reset(seed=s)` is trajectory i of `simulate(..., seed=s)`. `options={"trajectory": i}`
    picks a trajectory. Without any seed, the environment's `np_random` draws one.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path = "default",
        rewards: Mapping[str, float] | None = None,
        play_out: bool = False,
    ) -> None:
        self.metadata = {"render_modes": []}
        self.scenario = _scenario(scenario)
        self.worlds = Worlds(self.scenario, 1, rewards, play_out)
        self.observation_space = observation_space()
        self.action_space = action_space()
        self._seed: int | None = None
        self._next = 0

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        if seed is not None:
            self._seed, self._next = int(seed), 0
        elif self._seed is None:
            self._seed, self._next = int(self.np_random.integers(SEED_BOUND)), 0
        index = int((options or {}).get("trajectory", self._next))
        self._next = index + 1
        self.worlds.reset(np.array([0]), np.array([self._seed]), np.array([index]))
        return self.worlds.obs[0].copy(), self._info()

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        res = self.worlds.step(np.asarray(action, dtype=np.float64).reshape(1, -1))
        info = self._info()
        return self.worlds.obs[0].copy(), float(res.reward[0]), bool(res.terminated[0]), bool(res.truncated[0]), info

    def _info(self) -> dict[str, Any]:
        rows = np.array([0])
        return {
            "seed": self._seed,
            "trajectory": int(self.worlds.index[0]),
            "month": int(self.worlds.month[0]),
            "world_outcome": WORLD_OUTCOMES[int(self.worlds.world_outcome(rows)[0])],
            "outcome": OUTCOMES[int(self.worlds.outcome(rows)[0])],
        }


class MagmaVectorEnv(VectorEnv[np.ndarray, np.ndarray, np.ndarray]):
    """`num_envs` Magma worlds stepped in one batched call of the engine's month (docs/envs.md).

    Autoreset is Gymnasium's NEXT_STEP: the step after a world's episode ends resets it (its action is
    ignored, reward 0). Seeding: `reset(seed=s)` starts world j on trajectory j of seed s; each autoreset
    takes the next unused trajectory (num_envs, num_envs + 1, ...) in world order, so the trajectories
    played are those of `simulate(..., seed=s)`. Other arguments as for `MagmaEnv`.
    """

    def __init__(
        self,
        num_envs: int,
        scenario: Scenario | str | Path = "default",
        rewards: Mapping[str, float] | None = None,
        play_out: bool = False,
    ) -> None:
        self.metadata = {"render_modes": [], "autoreset_mode": AutoresetMode.NEXT_STEP}
        self.num_envs = int(num_envs)
        self.scenario = _scenario(scenario)
        self.worlds = Worlds(self.scenario, self.num_envs, rewards, play_out)
        self.single_observation_space = observation_space()
        self.single_action_space = action_space()
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self._seed: int | None = None
        self._next = 0
        self._ended = np.zeros(self.num_envs, dtype=bool)

    def reset(
        self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        if isinstance(seed, list):
            raise ValueError("MagmaVectorEnv takes one seed (an int) for all its worlds")
        super().reset(seed=seed)
        if seed is not None:
            self._seed, self._next = int(seed), 0
        elif self._seed is None:
            self._seed, self._next = int(self.np_random.integers(SEED_BOUND)), 0
        mask = np.asarray((options or {}).get("reset_mask", np.ones(self.num_envs, dtype=bool)), dtype=bool)
        self._reset_rows(mask)
        return self.worlds.obs.copy(), self._info()

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        ended = self._ended
        res = self.worlds.step(np.asarray(actions, dtype=np.float64), active=~ended)
        self._reset_rows(ended)
        self._ended = res.terminated | res.truncated
        return self.worlds.obs.copy(), res.reward, res.terminated, res.truncated, self._info()

    def _reset_rows(self, mask: np.ndarray) -> None:
        rows = np.flatnonzero(mask)
        indices = self._next + np.arange(rows.size)
        self._next += rows.size
        self.worlds.reset(rows, np.full(rows.size, self._seed), indices)
        self._ended = self._ended & ~mask

    def _info(self) -> dict[str, Any]:
        everyone = np.arange(self.num_envs)
        info = {
            "trajectory": self.worlds.index.copy(),
            "month": self.worlds.month.copy(),
            "world_outcome": self.worlds.world_outcome(everyone),
            "outcome": self.worlds.outcome(everyone),
        }
        return dict(info, **{f"_{k}": np.ones(self.num_envs, dtype=bool) for k in info})
