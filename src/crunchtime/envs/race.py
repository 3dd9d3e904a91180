"""The race as a PettingZoo parallel game (`RaceEnv`): every actor of the scenario is an agent (docs/envs.md).

Magma ("magma", the scenario's first actor) has MagmaEnv's observation and action (its knobs). Every other
actor is an agent that observes its own position and the public world (RIVAL_OBSERVATION_NAMES) and sets its
conduct for the month (RIVAL_ACTION_NAMES, each in [0, 1]): velocity, the share of its work on safety, and
the share of safeguards it skips when deploying: the three quantities the model's rival behaviour
(`crunchtime.model.mechanisms.competition.rival_conduct`) otherwise sets from race pressure and political
will. An agent left out of a step's `actions` follows the scenario's behaviour that month, so a policy can
run some labs and leave the rest to the scenario; leaving out every rival gives MagmaEnv's worlds exactly.
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
from crunchtime.envs.worlds import Worlds, actions_from_knobs
from crunchtime.model.knobs import KNOBS
from crunchtime.model.mechanisms.competition import RIVAL_STEERING
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


#: a rival's action, in order (each in [0, 1]; `crunchtime.model.mechanisms.competition.RIVAL_STEERING`)
RIVAL_ACTION_NAMES: tuple[str, ...] = RIVAL_STEERING


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class RaceEnv(ParallelEnv):
    """The race between the scenario's actors, one month a step; agent "magma" sets Magma's knobs, every other
    agent its lab's conduct (RIVAL_ACTION_NAMES); an agent missing from `actions` follows the scenario.

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
        if agent == "magma":
            return action_space()
        return spaces.Box(low=0.0, high=1.0, shape=(len(RIVAL_ACTION_NAMES),), dtype=np.float64)

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
        res = self.worlds.step(self._magma_action(actions), rivals=self._rival_actions(actions))
        obs, infos = self._observations(), self._infos()
        rewards = {a: float(res.reward[0]) for a in self.agents}
        terminations = {a: bool(res.terminated[0]) for a in self.agents}
        truncations = {a: bool(res.truncated[0]) for a in self.agents}
        if res.terminated[0] or res.truncated[0]:
            self.agents = []
        return obs, rewards, terminations, truncations, infos

    def _magma_action(self, actions: Mapping[str, Any]) -> np.ndarray:
        """Magma's action; left out, Magma's knobs stay at their defaults (as a plan without rules)."""
        if "magma" in actions:
            return np.asarray(actions["magma"], dtype=np.float64).reshape(1, -1)
        return actions_from_knobs({k.name: np.asarray(k.default) for k in KNOBS}, 1)

    def _rival_actions(self, actions: Mapping[str, Any]) -> np.ndarray:
        """(1, actors, len(RIVAL_ACTION_NAMES)): the given rivals' actions, NaN for Magma and absent agents."""
        out = np.full((1, len(self.possible_agents), len(RIVAL_ACTION_NAMES)), np.nan)
        for i, agent in enumerate(self.possible_agents[1:], start=1):
            if agent in actions:
                out[0, i] = np.asarray(actions[agent], dtype=np.float64).reshape(-1)
        return out

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
