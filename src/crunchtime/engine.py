"""The Monte Carlo engine: fixed random blocks, chunked vectorised simulation, common random numbers.

Randomness is cut into blocks of BLOCK samples; block b's world parameters and monthly shocks come
from SeedSequence([seed, b, stream]), so every trajectory's draws depend only on (seed, its index).
Chunks (work units) are whole numbers of blocks, so results are bit-identical whatever the chunk size
or number of processes. All plans in one call replay the same blocks: common random numbers.
Where the chunks run (this process, local processes, a Ray cluster) is a backend: `crunchtime.backends`.

The hot path (on by default; `hot_path(False)` turns it off) takes a chunk's draws from a bounded cache
(`crunchtime.inputcache`) and simulates a small chunk's plans as one batched state; results are
bit-identical either way (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from crunchtime.model.mechanisms.capability import danger_of, speedup_of
from crunchtime.model.step import NOISE_SHAPES, derive, month_view, step
from crunchtime.model.knobs import KNOB_NAMES
from crunchtime.model.mechanisms.common import row_max
from crunchtime.model.observe import observe
from crunchtime.model.state import MS, OUT, SOURCES, WORLD, State, initial_state
from crunchtime.design import Design
from crunchtime.design import apply as apply_design
from crunchtime.inputcache import InputCache, sampling_key
from crunchtime.scenario import Scenario, sample_world

BLOCK = 256            # samples per random block (the unit of the random stream, never changes)
DEFAULT_CHUNK = 2048   # samples per work unit (a multiple of BLOCK)
QUANTILE_CAP = 20_000  # per-month quantiles use the first this-many trajectories (means use all)
# plans of one chunk are simulated as one batched state up to this many samples in all: batching pays numpy's
# per-call overhead once for all plans (the web app's 1,024 x plan + baseline); beyond it arrays outgrow the
# CPU caches and the per-call overhead is small anyway, so bulk runs keep one state per plan
MAX_BATCH = 4096
INPUT_CACHE = InputCache()  # sampled inputs of recent chunks (see crunchtime.inputcache)
_HOT_PATH = [True]  # the hot path's switch (see hot_path); a list so the context manager can change it

SERIES = ("ai_rd_speedup", "capability", "danger", "political_will", "awareness", "security_level",
          "alignment", "control", "evaluation", "preparation", "lead_months", "hazard_total",
          "frontier_ai_rd_speedup", "safety_prep_effort", "safety_mitigation_effort",
          "effective_safety_research", "ai_safety_multiplier", "hardening", "p_alive", "pause_active")
SERIES_ALL = SERIES + tuple(f"knob:{k}" for k in KNOB_NAMES)


@dataclass
class ChunkOutput:
    """What one chunk of one plan contributes to the result."""

    plan_index: int
    start: int                   # global index of the chunk's first trajectory
    outcome: np.ndarray          # (n,) int
    outcome_month: np.ndarray
    cat_source: np.ndarray
    cat_actor: np.ndarray
    milestones: np.ndarray       # (n, M)
    events: dict[str, np.ndarray]
    scalars: dict[str, np.ndarray]
    series_kept: np.ndarray      # (H, V, kept) float32
    series_sum: np.ndarray       # (H, V) float64
    risk_sum: np.ndarray         # (H, S, A)
    speedup_kept: np.ndarray     # (kept, H) float32
    world_outcome: np.ndarray    # (n,) int index into WORLD_OUTCOMES (catastrophe at any month overrides)
    world_month: np.ndarray
    magma_path: np.ndarray       # (n,) int index into MAGMA_PATHS
    path_month: np.ndarray
    horizon_hazard: np.ndarray   # (n,) total monthly catastrophe hazard in the last month (0 where the world ended)


def block_inputs(scenario: Scenario, seed: int, block: int
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Sampled world parameters (n,), actor fields (n, A) and all monthly shocks for one block of BLOCK trajectories."""
    rng_world = np.random.default_rng(np.random.SeedSequence([seed, block, 0]))
    rng_noise = np.random.default_rng(np.random.SeedSequence([seed, block, 1]))
    world = sample_world(scenario, rng_world, BLOCK)
    H, A = scenario.horizon_months, len(scenario.actors)
    noise = {}
    for name, shape in NOISE_SHAPES.items():
        full = (H, BLOCK) + ((A,) if shape is None else shape)
        noise[name] = rng_noise.standard_normal(full) if name.startswith("z_") else rng_noise.random(full)
    noise["trajectory_random"] = rng_noise.random(BLOCK)
    noise["u_trust"] = rng_noise.random(BLOCK)  # is a hand-off to this world's TEDAI trustworthy? drawn once
    return world.world, world.actors, noise


def _concat(parts: list[dict[str, np.ndarray]], axis: int) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts], axis=axis) for k in parts[0]}


def sampled_inputs(scenario: Scenario, seed: int, start: int, n: int
                   ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Sampled world parameters (n,), actor fields (n, A), monthly shocks (months first) and per-world
    uniforms for trajectories [start, start+n), before any design."""
    first_block, last_block = start // BLOCK, (start + n - 1) // BLOCK
    inputs = [block_inputs(scenario, seed, b) for b in range(first_block, last_block + 1)]
    off = start - first_block * BLOCK
    world = {k: v[off:off + n] for k, v in _concat([i[0] for i in inputs], axis=0).items()}
    actors = {k: v[off:off + n] for k, v in _concat([i[1] for i in inputs], axis=0).items()}
    per_world = ("trajectory_random", "u_trust")
    worlds = _concat([{k: i[2][k] for k in per_world} for i in inputs], axis=0)
    noise = _concat([{k: v for k, v in i[2].items() if k not in per_world} for i in inputs], axis=1)
    noise = {k: v[:, off:off + n] for k, v in noise.items()}
    noise["u_trust"] = np.broadcast_to(worlds["u_trust"][off:off + n], (scenario.horizon_months, n))
    return world, actors, noise, worlds["trajectory_random"][off:off + n]


def cached_inputs(scenario: Scenario, seed: int, start: int, n: int
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """`sampled_inputs` through the bounded cache (read-only arrays), keyed by the scenario's content."""
    key = (sampling_key(scenario), int(seed), int(start), int(n))
    return INPUT_CACHE.get(key, lambda: sampled_inputs(scenario, seed, start, n))


def chunk_inputs(scenario: Scenario, seed: int, start: int, n: int, design: Design | None = None,
                 cache: bool = False, design_offset: int = 0
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Parameters, monthly shocks (months first) and per-world uniforms for trajectories [start, start+n).

    `design` (full-length arrays by parameter name, see `crunchtime.design`) replaces sampled beliefs;
    the shocks stay those of each trajectory's index (common random numbers). With `cache`, the draws
    come from (and go to) the bounded input cache; the design is applied to the cached draws, so the
    result is the same either way. The design's row 0 is trajectory `design_offset` (0: full-length arrays;
    `start`: just this chunk's rows, as a remote task gets them).
    """
    world, actors, noise, traj_random = (cached_inputs if cache else sampled_inputs)(scenario, seed, start, n)
    if design:
        rows = slice(start - design_offset, start - design_offset + n)
        world, actors = apply_design(scenario, world, actors, {k: v[rows] for k, v in design.items()})
    return derive(world, actors), noise, traj_random


def simulate_chunk(scenario: Scenario, plans: Sequence, seed: int, start: int, n: int,
                   quantile_cap: int = QUANTILE_CAP, design: Design | None = None,
                   fast: bool | None = None, design_offset: int = 0, jit: bool = False) -> list[ChunkOutput]:
    """Simulate trajectories [start, start+n) under every plan, on identical worlds and shocks.

    `fast` (default: the `hot_path` setting) takes the inputs from the cache and simulates the plans
    together in one batched state when the batch is small enough (`MAX_BATCH`); results are
    bit-identical to the plain path (each plan on its own, freshly sampled inputs). `design` rows start at
    trajectory `design_offset` (see `chunk_inputs`). `jit` runs the same month function compiled by
    JAX/XLA instead (`crunchtime.jit`: equal to about 1e-12, not bit for bit).
    """
    if jit:
        from crunchtime import jit as compiled

        return compiled.simulate_chunk(scenario, plans, seed, start, n, quantile_cap, design, design_offset)
    fast = _HOT_PATH[0] if fast is None else fast
    params, noise, traj_random = chunk_inputs(scenario, seed, start, n, design, cache=fast,
                                              design_offset=design_offset)
    kept = int(np.clip(quantile_cap - start, 0, n))
    if fast and len(plans) > 1 and n * len(plans) <= MAX_BATCH:
        return _run_plans(scenario, plans, params, noise, traj_random, start, n, kept)
    return [_run_plan(scenario, plan, i, params, noise, traj_random, start, n, kept) for i, plan in enumerate(plans)]


@contextmanager
def hot_path(enabled: bool) -> Iterator[None]:
    """Switch the hot path (input cache, batched plans) on or off within a block (benchmarks, tests)."""
    before = _HOT_PATH[0]
    _HOT_PATH[0] = enabled
    try:
        yield
    finally:
        _HOT_PATH[0] = before


def _tile(a: np.ndarray, times: int) -> np.ndarray:
    """`times` copies of `a` one after another along the sample axis (axis 0)."""
    return a if times == 1 else np.concatenate([a] * times)


def _run_plan(scenario: Scenario, plan, plan_index: int, params: dict[str, np.ndarray],
              noise: dict[str, np.ndarray], traj_random: np.ndarray, start: int, n: int, kept: int) -> ChunkOutput:
    out = _run_plans(scenario, [plan], params, noise, traj_random, start, n, kept)[0]
    out.plan_index = plan_index
    return out


def _run_plans(scenario: Scenario, plans: Sequence, params: dict[str, np.ndarray], noise: dict[str, np.ndarray],
               traj_random: np.ndarray, start: int, n: int, kept: int) -> list[ChunkOutput]:
    """Every plan on the same n worlds, simulated as one state of P x n samples (plan i owns rows i*n..).

    Each sample's arithmetic is that of simulating its plan alone; sums over samples are taken per plan
    over the same n contiguous rows, so the outputs are bit-identical to one run per plan.
    """
    P = len(plans)
    N = n * P
    H, A = scenario.horizon_months, len(scenario.actors)
    start_year = float(scenario.decimal_year(0))
    rows = [slice(i * n, (i + 1) * n) for i in range(P)]
    params = {k: _tile(v, P) for k, v in params.items()}
    traj_random = _tile(traj_random, P)
    state = initial_state(params, N, A)
    series_kept = np.empty((P, H, len(SERIES_ALL), kept), dtype=np.float32)
    series_sum = np.empty((P, H, len(SERIES_ALL)))
    risk_sum = np.empty((P, H, len(SOURCES), A))
    speedups = np.empty((P, kept, H), dtype=np.float32)
    carry = first_carry(state, params)
    for t in range(H):
        month_noise = {k: _tile(v[t], P) for k, v in noise.items()}
        carry, (series, risk_mass, speed) = month(carry, month_noise, plans, params, traj_random, rows, start_year)
        row = np.stack([series[v] for v in SERIES_ALL])
        for i, r in enumerate(rows):
            series_kept[i, t] = row[:, r.start:r.start + kept]
            series_sum[i, t] = row[:, r].sum(axis=1)
            risk_sum[i, t] = risk_mass[r].sum(axis=0)
            speedups[i, :, t] = speed[r.start:r.start + kept]
    return chunk_outputs(carry, rows, start, H, series_kept, series_sum, risk_sum, speedups)


def first_carry(state: State, params: dict[str, np.ndarray]) -> tuple[State, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """What `month` carries from month to month, at the start: the state, the speed-up and danger at its
    capability (each month's step hands them to the next month's view), and the running per-world sums."""
    n = state.k.shape[0]
    at_start = {"speedup": speedup_of(params, state.k), "danger_by_actor": danger_of(params, state.k),
                "hazard_total": np.zeros(n)}
    zeros = np.zeros(n)
    acc = {"ev_pause": zeros > 1.0, "ev_selfd": zeros > 1.0, "crunch_years": zeros, "crunch_research": zeros,
           "catastrophe_risk": zeros, "catastrophe_risk_others": zeros}
    return state, at_start, acc


def month(carry: tuple, month_noise: dict[str, np.ndarray], plans: Sequence, params: dict[str, np.ndarray],
          traj_random: np.ndarray, rows: list[slice], start_year: float) -> tuple[tuple, tuple]:
    """One month of every world under every plan (plan i owns `rows[i]`): observe, decide, step, and the
    month's outputs. A pure function of its arguments, so the numpy loop and the jit (`crunchtime.jit`) share it.

    Returns the next carry and (the month's series by name, each (N,), keyed as SERIES_ALL; risk mass
    (N, S, A); Magma's speed-up (N,)).
    """
    state, last, acc = carry
    N = state.k.shape[0]
    view = month_view(state, params, last["speedup"], last["danger_by_actor"])  # last step's, at state.k
    obs = observe(state, params, month_noise, start_year, traj_random, view)
    knobs = _decide(plans, obs, rows, N)
    state, rec = step(state, knobs, params, month_noise, view)
    speed = rec["speedup"]  # the speed-up at the month's new capability (theft happens before it)
    in_crunch = ~np.isnan(state.milestones[:, MS["first_dangerous_ai"]]) & np.isnan(
        state.milestones[:, MS["deference"]]) & (state.alive > 0)
    acc = {
        "crunch_years": acc["crunch_years"] + in_crunch * rec["ai_safety_multiplier"] / 12.0,
        "crunch_research": acc["crunch_research"] + in_crunch * rec["effective_safety_research"],
        "ev_pause": acc["ev_pause"] | (state.months_in_pause >= params["pause_min_months"]),
        "ev_selfd": acc["ev_selfd"] | (state.outcome == OUT["self_destruction"])
        | ((state.self_destructed > 0) & (state.alive > 0)),
        "catastrophe_risk": acc["catastrophe_risk"] + rec["risk_mass"].sum(axis=(1, 2)),
        "catastrophe_risk_others": acc["catastrophe_risk_others"] + rec["risk_mass"][:, :, 1:].sum(axis=(1, 2)),
    }
    cols = {
        "ai_rd_speedup": speed[:, 0], "capability": state.k[:, 0] * np.log10(2.0), "danger": rec["danger"],
        "political_will": state.will, "awareness": state.awareness, "security_level": state.sl[:, 0],
        "alignment": obs["alignment_progress"], "control": obs["control_progress"],
        "evaluation": obs["evaluation_progress"], "preparation": obs["preparation"],
        "lead_months": (state.k[:, 0] - row_max(state.k[:, 1:])) / params["g_eff0"],
        "hazard_total": rec["hazard_total"], "frontier_ai_rd_speedup": row_max(speed),
        "safety_prep_effort": rec["safety_prep_effort"], "safety_mitigation_effort": rec["safety_mitigation_effort"],
        "effective_safety_research": rec["effective_safety_research"],
        "ai_safety_multiplier": rec["ai_safety_multiplier"], "hardening": rec["hardening"],
        "p_alive": state.alive, "pause_active": state.pause_active,
    }
    knob_cols = dict(knobs, velocity=rec["effort_velocity"], safety_share=rec["effort_safety_share"])
    cols.update({f"knob:{k}": np.broadcast_to(knob_cols[k], (N,)) for k in KNOB_NAMES})
    last = {"speedup": speed, "danger_by_actor": rec["danger_by_actor"], "hazard_total": rec["hazard_total"]}
    return (state, last, acc), (cols, rec["risk_mass"], speed[:, 0])


def chunk_outputs(carry: tuple, rows: list[slice], start: int, H: int,
                  series_kept: np.ndarray, series_sum: np.ndarray, risk_sum: np.ndarray, speedups: np.ndarray
                  ) -> list[ChunkOutput]:
    """Each plan's ChunkOutput from the last month's carry and the per-month outputs gathered by plan."""
    state, last, acc = carry
    speed = last["speedup"]
    dead = state.alive == 0
    outcome = np.where(dead, OUT["catastrophe"], state.outcome)
    outcome_month = np.where(dead, state.cat_month, state.outcome_month)
    world = np.where(dead, WORLD["catastrophe"], state.world)
    world_month = np.where(dead, state.cat_month, state.world_month)
    horizon_hazard = np.where(dead, 0.0, last["hazard_total"])
    ms = state.milestones
    crunch_end = np.fmin(np.fmin(ms[:, MS["deference"]], state.cat_month), H)
    events = {
        "catastrophe": dead,
        "obsolescence": ~np.isnan(ms[:, MS["obsolescence"]]),
        "coordinated_pause": acc["ev_pause"],
        "self_destruction": acc["ev_selfd"],
        "weight_theft": state.theft_event > 0,
        "deference": ~np.isnan(ms[:, MS["deference"]]),
        "unsafe_handoff": state.unsafe_handoff > 0,
        "public_incident": state.incidents > 0,
    }
    scalars = {
        "crunch_months": np.where(np.isnan(ms[:, MS["first_dangerous_ai"]]), 0.0,
                                  crunch_end - ms[:, MS["first_dangerous_ai"]]),
        "effective_safety_years": acc["crunch_years"],
        "crunch_safety_research": acc["crunch_research"],
        "final_political_will": state.will,
        "final_security_level": state.sl[:, 0],
        "max_ai_rd_speedup": speed[:, 0],  # capability never falls, so the last month's speed-up is the largest
        # sum over months of this world's chance of catastrophe that month given its history: an unbiased,
        # smooth estimate of P(catastrophe) for sensitivity and search (its mean equals the outcome share's)
        "catastrophe_risk": acc["catastrophe_risk"],
        # the same, counting only the mass attributed to actors other than Magma (its mean: P(catastrophe by a rival))
        "catastrophe_risk_others": acc["catastrophe_risk_others"],
    }
    return [ChunkOutput(i, start, outcome[r], outcome_month[r], state.cat_source[r], state.cat_actor[r], ms[r],
                        {k: v[r] for k, v in events.items()}, {k: v[r] for k, v in scalars.items()},
                        series_kept[i], series_sum[i], risk_sum[i], speedups[i], world[r], world_month[r],
                        state.path[r], state.path_month[r], horizon_hazard[r]) for i, r in enumerate(rows)]


def _decide(plans: Sequence, obs: dict[str, np.ndarray], rows: list[slice], N: int) -> dict[str, np.ndarray]:
    """Each plan's knobs on its own rows of the observables, joined along the sample axis."""
    if len(plans) == 1:
        return plans[0].decide(obs)
    parts = [plan.decide({k: v[r] for k, v in obs.items()}) for plan, r in zip(plans, rows)]
    n = N // len(plans)
    return {k: np.concatenate([v if np.shape(v) == (n,) else np.broadcast_to(v, (n,)) for v in (p[k] for p in parts)])
            for k in parts[0]}


def chunk_bounds(samples: int, chunk_size: int = DEFAULT_CHUNK) -> list[tuple[int, int]]:
    """The work units (start, n) of a run: whole blocks of `chunk_size` trajectories, the last one shorter."""
    if chunk_size % BLOCK:
        raise ValueError(f"chunk_size must be a multiple of {BLOCK}")
    return [(s, min(chunk_size, samples - s)) for s in range(0, samples, chunk_size)]


def run_chunks(scenario: Scenario, plans: Sequence, samples: int, seed: int, chunk_size: int = DEFAULT_CHUNK,
               workers: int = 1, progress: Callable[[int, int], None] | None = None,
               quantile_cap: int = QUANTILE_CAP, design: Design | None = None,
               fast: bool | None = None, backend: str = "local", address: str | None = None, jit: bool = False
               ) -> list[list[ChunkOutput]]:
    """Simulate all chunks (in order) for every plan; returns per-chunk outputs, one list per chunk.

    `design` (validated, full-length arrays by parameter name) replaces sampled beliefs trajectory by trajectory.
    `backend` ('local' or 'ray', see `crunchtime.backends`) says where the chunks run; `workers` is the number
    of local processes, `address` the Ray cluster. Neither changes any result. `jit` simulates each chunk
    with the JAX-compiled engine (`crunchtime.jit`).
    """
    from crunchtime.backends import Job, get_backend

    chunks = chunk_bounds(samples, chunk_size)
    runner = get_backend(backend, address, workers)
    return runner.run(Job(scenario, tuple(plans), seed, quantile_cap, design, fast, jit), chunks, progress)
