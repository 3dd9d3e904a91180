"""The race as a PettingZoo parallel game (`RaceEnv`): every actor of the scenario is an agent (docs/envs.md).

First version: Magma ("magma", the scenario's first actor) is the one controllable agent, with MagmaEnv's
observation and action. The rivals are agents that observe their own position and act only as the
scenario's rival behaviour says (their action space has one action, "follow the scenario"); giving them
knobs needs the model to take rival knobs, which it does not yet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from crunchtime.envs.magma import SEED_BOUND, _scenario, action_space, observation_space
from crunchtime.envs.worlds import Worlds
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import OUTCOMES, WORLD_OUTCOMES

#: a rival's observation, in order: what it knows of itself and of the public world (no noise)
RIVAL_OBSERVATION_NAMES: tuple[str, ...] = (
    "months_elapsed",
    "capability",  # OOM of effective compute above the starting frontier
    "ai_rd_speedup",
    "security_level",
    "runs_stolen_weights",
    "political_will",
    "awareness",
    "pause_active",
    "months_in_pause",
    "incidents",
)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class RaceEnv(ParallelEnv):
    """The race between the scenario's actors, one month a step; agent "magma" sets Magma's knobs.

    Every agent gets the same reward, the world's (as MagmaEnv's: the world's outcome is everyone's).
    Seeding, `rewards` and `play_out` are those of `MagmaEnv`: `reset(seed=s)` plays trajectory 0 of seed s,
    each later `reset()` the next.
    """

    metadata: ClassVar[dict[str, Any]] = {"name": "crunchtime_race_v0", "render_modes": []}

    def __init__(
        self,
        scenario: Scenario | str | Path = "default",
        rewards: Mapping[str, float] | None = None,
        play_out: bool = False,
    ) -> None:
        self.scenario = _scenario(scenario)
        self.worlds = Worlds(self.scenario, 1, rewards, play_out)
        rivals = [_slug(a.name) or f"actor_{i}" for i, a in enumerate(self.scenario.actors)][1:]
        self.possible_agents: list[str] = ["magma", *rivals]
        self.agents: list[str] = []
        self._seed: int | None = None
        self._next = 0
        self._rng = np.random.default_rng()

    @functools.cache  # noqa: B019 (one space object per agent, as PettingZoo asks)
    def observation_space(self, agent: str) -> spaces.Space:
        if agent == "magma":
            return observation_space()
        n = len(RIVAL_OBSERVATION_NAMES)
        return spaces.Box(low=-np.inf, high=np.inf, shape=(n,), dtype=np.float64)

    @functools.cache  # noqa: B019
    def action_space(self, agent: str) -> spaces.Space:
        return action_space() if agent == "magma" else spaces.Discrete(1)

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
        if seed is not None:
            self._seed, self._next = int(seed), 0
            self._rng = np.random.default_rng(seed)
        elif self._seed is None:
            self._seed, self._next = int(self._rng.integers(SEED_BOUND)), 0
        index = int((options or {}).get("trajectory", self._next))
        self._next = index + 1
        self.worlds.reset(np.array([0]), np.array([self._seed]), np.array([index]))
        self.agents = list(self.possible_agents)
        return self._observations(), self._infos()

    def step(
        self, actions: dict[str, Any]
    ) -> tuple[dict[str, np.ndarray], dict[str, float], dict[str, bool], dict[str, bool], dict[str, dict[str, Any]]]:
        res = self.worlds.step(np.asarray(actions["magma"], dtype=np.float64).reshape(1, -1))
        obs, infos = self._observations(), self._infos()
        rewards = {a: float(res.reward[0]) for a in self.agents}
        terminations = {a: bool(res.terminated[0]) for a in self.agents}
        truncations = {a: bool(res.truncated[0]) for a in self.agents}
        if res.terminated[0] or res.truncated[0]:
            self.agents = []
        return obs, rewards, terminations, truncations, infos

    def _observations(self) -> dict[str, np.ndarray]:
        w = self.worlds
        s, speed = w.state, w.last["speedup"]
        public = [s["will"][0], s["awareness"][0], s["pause_active"][0], s["months_in_pause"][0], s["incidents"][0]]
        out = {"magma": w.obs[0].copy()}
        for i, agent in enumerate(self.possible_agents[1:], start=1):
            own = [s["k"][0, i] * np.log10(2.0), speed[0, i], s["sl"][0, i], s["stolen"][0, i]]
            out[agent] = np.array([w.month[0], *own, *public], dtype=np.float64)
        return {a: out[a] for a in self.agents}

    def _infos(self) -> dict[str, dict[str, Any]]:
        rows = np.array([0])
        info = {
            "seed": self._seed,
            "trajectory": int(self.worlds.index[0]),
            "month": int(self.worlds.month[0]),
            "world_outcome": WORLD_OUTCOMES[int(self.worlds.world_outcome(rows)[0])],
            "outcome": OUTCOMES[int(self.worlds.outcome(rows)[0])],
        }
        return {a: dict(info) for a in self.agents}
