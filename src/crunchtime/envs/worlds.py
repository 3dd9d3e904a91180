"""A bank of simulated worlds that the environments step month by month: the engine's own month function
(`crunchtime.engine.monthly.month`), its inputs (`crunchtime.engine.inputs.chunk_inputs`) and its outcome
classification, with Magma's knobs given from outside instead of a plan.

Row j of the bank is one world: trajectory `index[j]` of the engine's random stream for `seed[j]` (the
block of BLOCK trajectories it belongs to is drawn with SeedSequence([seed, block, stream]), exactly as a
run draws it), at month `month[j]`. Rows may be at different months (a vector environment resets worlds
one by one); a step advances the rows of each distinct month as one batch (a loop over months, never over
samples). No Gymnasium here: this module is plain numpy.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np

from crunchtime.engine.inputs import chunk_inputs
from crunchtime.engine.monthly import first_carry, month
from crunchtime.engine.sizes import BLOCK
from crunchtime.model.knobs import KNOB_NAMES, KNOBS
from crunchtime.model.mechanisms.competition import RIVAL_STEERING
from crunchtime.model.observables import OBSERVABLE_NAMES
from crunchtime.model.observe import observe
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import OUT, WORLD, WORLD_OUTCOMES, State, initial_state
from crunchtime.model.step import month_view

#: the action vector's entries, in order: every knob of `crunchtime.model.knobs.KNOBS`
ACTION_NAMES: tuple[str, ...] = KNOB_NAMES
#: which entries of the action are 0/1 flags (thresholded at 0.5); the others are clipped into their range
FLAG_MASK: np.ndarray = np.array([k.kind == "action" for k in KNOBS])
ACTION_LOW: np.ndarray = np.array([k.low for k in KNOBS])
ACTION_HIGH: np.ndarray = np.array([k.high for k in KNOBS])
#: the observation vector's entries, in order: every observable of `crunchtime.model.observables.OBSERVABLES`
OBSERVATION_NAMES: tuple[str, ...] = OBSERVABLE_NAMES
#: the default reward at the month an episode ends, by the world's outcome (`crunchtime.model.state.WORLD_OUTCOMES`)
DEFAULT_REWARDS: Mapping[str, float] = {
    "catastrophe": -1.0,
    "trustworthy_obsolescence": 1.0,
    "coordinated_pause": 0.5,
    "unresolved": 0.0,
}
MAX_BLOCKS = 8  # blocks of inputs kept (each a few MB)
_STATE_ARRAYS = tuple(f.name for f in fields(State) if f.name != "month")


def knobs_from_actions(actions: np.ndarray) -> dict[str, np.ndarray]:
    """Knob arrays (n,) by name from actions (n, len(ACTION_NAMES)): flags are 1 where >= 0.5, else 0; the
    continuous knobs are clipped into their ranges. Plans' knobs pass through unchanged."""
    a = np.asarray(actions, dtype=np.float64)
    values = np.where(FLAG_MASK, (a >= 0.5).astype(np.float64), np.clip(a, ACTION_LOW, ACTION_HIGH))
    return {name: values[:, i] for i, name in enumerate(ACTION_NAMES)}


def actions_from_knobs(knobs: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """The action array (n, len(ACTION_NAMES)) that sets these knobs (e.g. a plan's `decide`)."""
    return np.stack([np.broadcast_to(np.asarray(knobs[k], dtype=np.float64), (n,)) for k in ACTION_NAMES], axis=1)


@dataclass(frozen=True)
class _GivenKnobs:
    """A stand-in plan for `month`: its `decide` returns knobs chosen outside (an agent's action)."""

    knobs: dict[str, np.ndarray]

    def decide(self, obs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        return self.knobs


@dataclass(frozen=True)
class StepResult:
    """What one month brought each stepped row: reward, whether its episode ended, and how."""

    reward: np.ndarray  # (n,)
    terminated: np.ndarray  # (n,) bool: the episode reached an outcome
    truncated: np.ndarray  # (n,) bool: the horizon came first
    world_outcome: np.ndarray  # (n,) int index into WORLD_OUTCOMES as the episode stands (catastrophe overrides)


class Worlds:
    """N worlds of one scenario, stepped by the engine's month function under knobs given each month.

    `play_out` False (default): an episode ends at the world's first outcome (catastrophe, a coordinated
    pause of `pause_min_months`, trustworthy obsolescence), with that outcome's reward. True: it runs to the
    horizon as `crunchtime run` does (ending early only at catastrophe) and is rewarded at its end for the
    run's classification (catastrophe at any month overrides an earlier pause or obsolescence).
    """

    def __init__(
        self, scenario: Scenario, n: int, rewards: Mapping[str, float] | None = None, play_out: bool = False
    ) -> None:
        self.scenario = scenario
        self.n = n
        self.horizon = scenario.horizon_months
        self.start_year = float(scenario.decimal_year(0))
        unknown = set(rewards or {}) - set(WORLD_OUTCOMES)
        if unknown:
            raise ValueError(f"rewards: unknown outcomes {sorted(unknown)} (known: {', '.join(WORLD_OUTCOMES)})")
        table = dict(DEFAULT_REWARDS, **(rewards or {}))
        self.reward_table = np.array([table[o] for o in WORLD_OUTCOMES])
        self.play_out = play_out
        self._blocks: OrderedDict[tuple[int, int], tuple[dict, dict, np.ndarray]] = OrderedDict()
        self.seed = np.zeros(n, dtype=np.int64)
        self.index = np.zeros(n, dtype=np.int64)
        self.month = np.zeros(n, dtype=np.int64)
        self.params: dict[str, np.ndarray] = {}
        self.noise: dict[str, np.ndarray] = {}  # per row, months second: (n, H, ...)
        self.traj_random = np.zeros(n)
        self.state: dict[str, np.ndarray] = {}
        self.last: dict[str, np.ndarray] = {}
        self.acc: dict[str, np.ndarray] = {}
        self.obs = np.zeros((n, len(OBSERVATION_NAMES)))

    # ------------------------------------------------------------------ inputs
    def _block(self, seed: int, block: int) -> tuple[dict, dict, np.ndarray]:
        key = (seed, block)
        if key not in self._blocks:
            params, noise, traj_random = chunk_inputs(self.scenario, seed, block * BLOCK, BLOCK)
            noise = {k: np.moveaxis(v, 0, 1) for k, v in noise.items()}  # (BLOCK, H, ...)
            self._blocks[key] = (params, noise, traj_random)
            while len(self._blocks) > MAX_BLOCKS:
                self._blocks.popitem(last=False)
        self._blocks.move_to_end(key)
        return self._blocks[key]

    def _inputs(self, seeds: np.ndarray, indices: np.ndarray) -> tuple[dict, dict, np.ndarray]:
        """Parameters, per-row shocks and trajectory uniforms of trajectories `indices` of `seeds` (m rows)."""
        keys = sorted({(int(s), int(i) // BLOCK) for s, i in zip(seeds, indices)})
        blocks = [self._block(*k) for k in keys]
        where = {k: j for j, k in enumerate(keys)}
        pos = np.array([where[(int(s), int(i) // BLOCK)] * BLOCK + int(i) % BLOCK for s, i in zip(seeds, indices)])

        def gather(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
            return {k: np.concatenate([p[k] for p in parts])[pos] for k in parts[0]}

        return (
            gather([b[0] for b in blocks]),
            gather([b[1] for b in blocks]),
            np.concatenate([b[2] for b in blocks])[pos],
        )

    # ------------------------------------------------------------------ reset and step
    def reset(self, rows: np.ndarray, seeds: np.ndarray, indices: np.ndarray) -> None:
        """Start rows `rows` (bool mask or indices) afresh at month 0 as trajectories `indices` of `seeds`."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        params, noise, traj_random = self._inputs(np.asarray(seeds), np.asarray(indices))
        state, last, acc = first_carry(initial_state(params, rows.size, len(self.scenario.actors)), params)
        fresh = {f: getattr(state, f) for f in _STATE_ARRAYS}
        self.params = _put(self.params, rows, params, self.n)
        self.noise = _put(self.noise, rows, noise, self.n)
        self.state = _put(self.state, rows, fresh, self.n)
        self.last = _put(self.last, rows, last, self.n)
        self.acc = _put(self.acc, rows, acc, self.n)
        self.traj_random = _put({"t": self.traj_random}, rows, {"t": traj_random}, self.n)["t"]
        self.seed = _put({"s": self.seed}, rows, {"s": np.asarray(seeds, dtype=np.int64)}, self.n)["s"]
        self.index = _put({"i": self.index}, rows, {"i": np.asarray(indices, dtype=np.int64)}, self.n)["i"]
        self.month = _put({"m": self.month}, rows, {"m": np.zeros(rows.size, dtype=np.int64)}, self.n)["m"]
        self.obs = _put({"o": self.obs}, rows, {"o": self._observe(rows)}, self.n)["o"]

    def step(
        self, actions: np.ndarray, active: np.ndarray | None = None, rivals: np.ndarray | None = None
    ) -> StepResult:
        """Advance the `active` rows (bool mask; default all) one month under `actions` (n, len(ACTION_NAMES));
        rows of one month are one batch. Inactive rows are left as they are, with reward 0 and not ended.

        `rivals` (n, actors, len(RIVAL_STEERING)), optional: players' conduct for the actors, clipped to [0, 1],
        NaN where an actor follows the scenario's behaviour (column 0, Magma, is ignored: its knobs are
        `actions`)."""
        active = np.ones(self.n, dtype=bool) if active is None else np.asarray(active, dtype=bool)
        knobs = knobs_from_actions(np.asarray(actions).reshape(self.n, len(ACTION_NAMES)))
        if rivals is not None:
            steer = np.clip(np.asarray(rivals, dtype=np.float64).reshape(self.n, -1, len(RIVAL_STEERING)), 0.0, 1.0)
            knobs.update({"rival_" + key: steer[:, :, j] for j, key in enumerate(RIVAL_STEERING)})
        world_before = self.world_outcome(np.arange(self.n))
        for t in np.unique(self.month[active]):
            rows = np.flatnonzero((self.month == t) & active)
            carry = (self._state_at(rows, int(t)), _take(self.last, rows), _take(self.acc, rows))
            plan = _GivenKnobs({k: v[rows] for k, v in knobs.items()})
            noise = {k: v[rows, t] for k, v in self.noise.items()}
            params = _take(self.params, rows)
            (state, last, acc), _ = month(
                carry, noise, [plan], params, self.traj_random[rows], [slice(0, rows.size)], self.start_year
            )
            self.state = _put(self.state, rows, {f: getattr(state, f) for f in _STATE_ARRAYS}, self.n)
            self.last = _put(self.last, rows, last, self.n)
            self.acc = _put(self.acc, rows, acc, self.n)
        self.month = self.month + active
        stepped = np.flatnonzero(active)
        self.obs = _put({"o": self.obs}, stepped, {"o": self._observe(stepped)}, self.n)["o"]
        everyone = np.arange(self.n)
        world_now = self.world_outcome(everyone)
        dead = self.state["alive"] == 0
        resolved = world_now != WORLD["unresolved"]
        at_horizon = self.month >= self.horizon
        if self.play_out:
            terminated = dead
            truncated = at_horizon & ~dead
            ends = terminated | truncated
            reward = np.where(ends, self.reward_table[world_now], 0.0)
        else:
            terminated = resolved
            truncated = at_horizon & ~resolved
            newly = resolved & (world_before == WORLD["unresolved"])
            reward = np.where(newly | truncated, self.reward_table[world_now], 0.0)
        return StepResult(np.where(active, reward, 0.0), terminated & active, truncated & active, world_now)

    # ------------------------------------------------------------------ views
    def _state_at(self, rows: np.ndarray, t: int) -> State:
        return State(month=t, **_take(self.state, rows))

    def _observe(self, rows: np.ndarray) -> np.ndarray:
        """Observables (len(rows), len(OBSERVATION_NAMES)) for rows at their months (a row at the horizon sees
        its last month's shocks: that observation is never acted on)."""
        out = np.empty((rows.size, len(OBSERVATION_NAMES)))
        for t in np.unique(self.month[rows]):
            sub = rows[self.month[rows] == t]
            state = self._state_at(sub, int(t))
            params = _take(self.params, sub)
            noise = {k: v[sub, min(int(t), self.horizon - 1)] for k, v in self.noise.items()}
            last = _take(self.last, sub)
            view = month_view(state, params, last["speedup"], last["danger_by_actor"])
            obs = observe(state, params, noise, self.start_year, self.traj_random[sub], view)
            out[_positions(rows, sub)] = np.stack([obs[k] for k in OBSERVATION_NAMES], axis=1)
        return out

    def world_outcome(self, rows: np.ndarray) -> np.ndarray:
        """The world's outcome of each row as it stands (catastrophe overrides, as in `chunk_outputs`)."""
        if not self.state:
            return np.zeros(rows.size, dtype=np.int64)
        return np.where(self.state["alive"][rows] == 0, WORLD["catastrophe"], self.state["world"][rows])

    def outcome(self, rows: np.ndarray) -> np.ndarray:
        """The legacy exclusive outcome (index into OUTCOMES) of each row as it stands."""
        return np.where(self.state["alive"][rows] == 0, OUT["catastrophe"], self.state["outcome"][rows])

    def world_month(self, rows: np.ndarray) -> np.ndarray:
        """The month each row's world outcome was decided (NaN while unresolved)."""
        dead = self.state["alive"][rows] == 0
        return np.where(dead, self.state["cat_month"][rows], self.state["world_month"][rows])


def _take(arrays: Mapping[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[rows] for k, v in arrays.items()}


def _put(
    bank: Mapping[str, np.ndarray], rows: np.ndarray, values: Mapping[str, np.ndarray], n: int
) -> dict[str, np.ndarray]:
    """A new bank with `values` in `rows` (the bank itself is not changed; an empty bank is created)."""
    out = {}
    for k, v in values.items():
        v = np.asarray(v)
        if k in bank and bank[k].shape[1:] == v.shape[1:]:
            new = bank[k].astype(np.result_type(bank[k], v), copy=True)
        else:
            new = np.zeros((n, *v.shape[1:]), dtype=v.dtype)
        new[rows] = v
        out[k] = new
    return out


def _positions(rows: np.ndarray, sub: np.ndarray) -> np.ndarray:
    """Where each entry of `sub` sits in `rows`."""
    order = np.argsort(rows)
    return order[np.searchsorted(rows[order], sub)]
