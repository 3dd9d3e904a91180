"""A chunk's inputs: sampled beliefs and monthly shocks from fixed random blocks, through a bounded cache.

Randomness is cut into blocks of BLOCK samples; block b's world parameters and monthly shocks come
from SeedSequence([seed, b, stream]), so every trajectory's draws depend only on (seed, its index).
"""

from __future__ import annotations

import numpy as np

from crunchtime.engine.inputcache import InputCache, sampling_key
from crunchtime.engine.sizes import BLOCK
from crunchtime.model.design import Design
from crunchtime.model.design import apply as apply_design
from crunchtime.model.scenario import Scenario, sample_world
from crunchtime.model.step import NOISE_SHAPES, derive

INPUT_CACHE = InputCache()  # sampled inputs of recent chunks (see crunchtime.engine.inputcache)


def block_inputs(
    scenario: Scenario, seed: int, block: int
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
    # are this world's AI helpers (the models doing safety research) misaligned? drawn once, last, so every
    # earlier draw is unchanged (research.helpers_uniform correlates it with u_trust)
    noise["u_helpers"] = rng_noise.random(BLOCK)
    return world.world, world.actors, noise


def _concat(parts: list[dict[str, np.ndarray]], axis: int) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts], axis=axis) for k in parts[0]}


def sampled_inputs(
    scenario: Scenario, seed: int, start: int, n: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Sampled world parameters (n,), actor fields (n, A), monthly shocks (months first) and per-world
    uniforms for trajectories [start, start+n), before any design."""
    first_block, last_block = start // BLOCK, (start + n - 1) // BLOCK
    inputs = [block_inputs(scenario, seed, b) for b in range(first_block, last_block + 1)]
    off = start - first_block * BLOCK
    world = {k: v[off : off + n] for k, v in _concat([i[0] for i in inputs], axis=0).items()}
    actors = {k: v[off : off + n] for k, v in _concat([i[1] for i in inputs], axis=0).items()}
    per_world = ("trajectory_random", "u_trust", "u_helpers")
    worlds = _concat([{k: i[2][k] for k in per_world} for i in inputs], axis=0)
    noise = _concat([{k: v for k, v in i[2].items() if k not in per_world} for i in inputs], axis=1)
    noise = {k: v[:, off : off + n] for k, v in noise.items()}
    for name in ("u_trust", "u_helpers"):
        noise[name] = np.broadcast_to(worlds[name][off : off + n], (scenario.horizon_months, n))
    return world, actors, noise, worlds["trajectory_random"][off : off + n]


def cached_inputs(
    scenario: Scenario, seed: int, start: int, n: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """`sampled_inputs` through the bounded cache (read-only arrays), keyed by the scenario's content."""
    key = (sampling_key(scenario), int(seed), int(start), int(n))
    return INPUT_CACHE.get(key, lambda: sampled_inputs(scenario, seed, start, n))


def chunk_inputs(
    scenario: Scenario,
    seed: int,
    start: int,
    n: int,
    design: Design | None = None,
    cache: bool = False,
    design_offset: int = 0,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Parameters, monthly shocks (months first) and per-world uniforms for trajectories [start, start+n).

    `design` (full-length arrays by parameter name, see `crunchtime.model.design`) replaces sampled beliefs;
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
