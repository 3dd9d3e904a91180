"""The engine compiled by JAX/XLA: the same `engine.monthly.month` (observe, decide, step) traced once into one loop.

`simulate_chunk` here is a drop-in for `crunchtime.engine.simulate_chunk`: the numpy model functions run on
`crunchtime.engine.traced.Traced` arrays, `jax.lax.scan` loops over the months, and XLA fuses each month's few
thousand small array operations into a few hundred loops, on a CPU or a GPU. Compiled programs are cached
by what shapes the trace: the plans' rules (not their params' values, which are data:
`Plan.with_params_as_data`), the number of worlds and actors, and the horizon. Moving a belief (a design)
or a plan's param therefore reuses the compiled program; a new plan structure compiles once (seconds).

The arithmetic is IEEE double precision like numpy's, but XLA fuses and orders operations differently and
has its own exp and log, so values agree to about 1e-12 relative rather than bit for bit; a world whose
draw sits that close to a threshold can take the other branch (docs/performance.md measures how often).
The numpy engine stays the reference; the jit is for latency (the web app's `--jit`) and accelerators.
Needs the `jit` extra (JAX).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from crunchtime.engine import inputs, monthly
from crunchtime.engine.monthly import SERIES_ALL, ChunkOutput
from crunchtime.engine.sizes import QUANTILE_CAP
from crunchtime.model.design import Design
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import SOURCES, State, initial_state

if TYPE_CHECKING:
    from crunchtime.model.plans import Plan

#: what shapes a compiled program: the plans' structure keys, n, actors, horizon, kept trajectories, start year
_Shapes = tuple[tuple, int, int, int, int, float]

INSTALL = 'pip install "crunchtime[jit]"'
MAX_PROGRAMS = 16  # compiled programs kept (each a few MB; one per plan structures x sizes in use)
_PROGRAMS: dict[_Shapes, Callable] = {}
_COMPILE_LOCK = threading.Lock()
#: shapes whose program has run once (XLA compiles on the first call, after `_build` has cached it)
_RAN: set[_Shapes] = set()


def available() -> bool:
    """Whether JAX can be imported (the `jit` extra is installed)."""
    try:
        import jax  # noqa: F401
    except ImportError:
        return False
    return True


def device() -> str:
    """The device the compiled programs run on, e.g. 'cpu:0' or 'cuda:0' (needs JAX)."""
    import jax

    return str(jax.devices()[0])


def on_cpu() -> bool:
    """Whether the compiled programs run on a CPU (JAX's platform of its default device; needs JAX)."""
    import jax

    return jax.devices()[0].platform == "cpu"


def simulate_chunk(
    scenario: Scenario,
    plans: Sequence,
    seed: int,
    start: int,
    n: int,
    quantile_cap: int = QUANTILE_CAP,
    design: Design | None = None,
    design_offset: int = 0,
) -> list[ChunkOutput]:
    """`engine.simulate_chunk` through the compiled program: all plans as one batched state on the same
    worlds and shocks (common random numbers). Same arguments and outputs. Needs JAX (`available()`)."""
    params, noise, traj_random = inputs.chunk_inputs(
        scenario, seed, start, n, design, cache=True, design_offset=design_offset
    )
    P, H = len(plans), scenario.horizon_months
    shapes = program_key(scenario, plans, start, n, quantile_cap)
    run = _program(shapes, plans)
    values = [p.param_observables(n) for p in plans]
    import jax

    carry, outputs = jax.device_get(run(params, noise, traj_random, values))  # all arrays in one transfer
    _RAN.add(shapes)
    carry, outputs = jax.tree_util.tree_map(np.array, (carry, outputs))  # writeable copies, as numpy's are
    rows = [slice(i * n, (i + 1) * n) for i in range(P)]
    return monthly.chunk_outputs(_to_numpy(carry), rows, start, H, *outputs)


def program_key(scenario: Scenario, plans: Sequence, start: int, n: int, quantile_cap: int = QUANTILE_CAP) -> _Shapes:
    """The key of the compiled program that runs this chunk (see `_Shapes`); needs no JAX."""
    n, kept = chunk_shape(start, n, quantile_cap)
    A, H = len(scenario.actors), scenario.horizon_months
    return (tuple(p.structure_key() for p in plans), n, A, H, kept, float(scenario.decimal_year(0)))


def chunk_shape(start: int, n: int, quantile_cap: int = QUANTILE_CAP) -> tuple[int, int]:
    """What of a chunk's (start, n) shapes its program: its worlds and how many of them keep their series."""
    return n, int(np.clip(quantile_cap - start, 0, n))


def compiled(scenario: Scenario, plans: Sequence, start: int, n: int, quantile_cap: int = QUANTILE_CAP) -> bool:
    """Whether the chunk (`start`, `n`) of these plans would run an already-compiled program (no compile).

    Needs no JAX: it only looks the chunk's shapes up in this process's program cache.
    """
    return program_key(scenario, plans, start, n, quantile_cap) in _RAN  # no lock: a compile holds it


class _PlanWithValues:
    """A plan compiled with its params as data, deciding with the given param arrays (traced)."""

    def __init__(self, plan: Plan, values: dict[str, Any]) -> None:
        self.plan, self.values = plan, values

    def decide(self, obs: dict[str, Any]) -> dict[str, Any]:
        return self.plan.decide({**obs, **self.values})


def _program(shapes: _Shapes, plans: Sequence) -> Callable:
    """The compiled run for plans of these structures and these shapes, from the cache or built now.

    `shapes` is the cache key (the plans' structure keys, n, actors, horizon, trajectories whose series
    are kept, start year): any plans of
    these structures share the program, their params' values come in with each call.
    """
    with _COMPILE_LOCK:  # two requests racing for a new program build it once
        run = _PROGRAMS.pop(shapes, None) or _build(*shapes, plans)
        _PROGRAMS[shapes] = run  # most recently used last
        while len(_PROGRAMS) > MAX_PROGRAMS:
            _RAN.discard(dropped := next(iter(_PROGRAMS)))
            _PROGRAMS.pop(dropped)
    return run


def _build(keys: tuple, n: int, A: int, H: int, kept: int, start_year: float, plans: Sequence) -> Callable:
    """Trace `engine.monthly.month` for these plans and shapes into a jitted scan over the months (XLA compiles it
    on the first call)."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    _register_state(jax)
    from crunchtime.engine.traced import Traced, unwrap

    P, N = len(keys), n * len(keys)
    rows = [slice(i * n, (i + 1) * n) for i in range(P)]
    as_data = [p.with_params_as_data() for p in plans]

    def traced(tree: Any) -> Any:
        return jax.tree_util.tree_map(Traced, tree)

    def untraced(tree: Any) -> Any:
        return jax.tree_util.tree_map(lambda x: jnp.asarray(unwrap(x)), tree, is_leaf=lambda x: isinstance(x, Traced))

    def tile(x: Any, axis: int = 0) -> Any:
        return x if P == 1 else jnp.concatenate([x] * P, axis=axis)

    def run(params: dict[str, Any], noise: dict[str, Any], traj_random: Any, values: list[dict[str, Any]]) -> tuple:
        params = traced({k: tile(v) for k, v in params.items()})
        traj_random = Traced(tile(traj_random))
        deciders = [_PlanWithValues(p, traced(v)) for p, v in zip(as_data, values)]
        state = initial_state(params, N, A).replace(month=jnp.asarray(0, dtype=jnp.int64))
        start = untraced(monthly.first_carry(state, params))

        def body(carry: Any, month_noise: Any) -> tuple[Any, tuple[Any, Any, Any]]:
            carry, (series, risk_mass, speed) = monthly.month(
                traced(carry), traced(month_noise), deciders, params, traj_random, rows, start_year
            )
            series, risk_mass, speed = untraced((series, risk_mass, speed))
            return untraced(carry), (series, risk_mass.reshape(P, n, len(SOURCES), A).sum(axis=1), speed)

        carry, (series, risk_sum, speed) = jax.lax.scan(
            body, start, {k: tile(v, axis=1) for k, v in noise.items()}, length=H
        )
        # gathered by plan after the loop, not month by month inside it: an output the loop must rewrite
        # whole each month (a transposed, converted slice) cost XLA on a CPU more than the month's arithmetic
        by_plan = jnp.stack([series[v] for v in SERIES_ALL], axis=1).reshape(H, len(SERIES_ALL), P, n)
        by_plan = jnp.transpose(by_plan, (2, 0, 1, 3))  # (P, H, V, n)
        return (
            carry,
            (
                by_plan[..., :kept].astype(jnp.float32),
                by_plan.sum(axis=3),
                jnp.transpose(risk_sum, (1, 0, 2, 3)),  # (P, H, S, A)
                jnp.transpose(speed.reshape(H, P, n), (1, 2, 0))[:, :kept].astype(jnp.float32),
            ),
        )

    return jax.jit(run, compiler_options=compiler_options(jax.devices()[0].platform))


def compiler_options(platform: str) -> dict[str, str]:
    """XLA options for a program on `platform` ('cpu', 'gpu', ...): on a CPU, XLA's instruction fusion is off.

    XLA's fusion copies cheap elementwise producers into every consumer fusion; the month's HLO went from 268
    multiplies, 53 selects and 205 compares to 3,761, 1,297 and 1,193 after fusion, recomputed every month.
    A GPU hides that (memory-bound kernels), a CPU computes it: with fusion off, 1,024 worlds x 2 plans ran
    about 3x faster on one core (docs/performance.md, "The jit on a CPU"). Other passes stay on.
    """
    return {"xla_disable_hlo_passes": "fusion"} if platform == "cpu" else {}


_REGISTERED: list[bool] = []


def _register_state(jax: ModuleType) -> None:
    """Let JAX carry a State through the scan (a pytree whose leaves are its fields)."""
    if not _REGISTERED:
        jax.tree_util.register_dataclass(State, data_fields=list(State.__dataclass_fields__), meta_fields=[])
        _REGISTERED.append(True)


def _to_numpy(carry: tuple) -> tuple:
    """The last carry as the numpy engine leaves it (device_get made the arrays numpy; the month an int)."""
    state, last, acc = carry
    return state.replace(month=int(state.month)), last, acc
