"""Players running rival labs in the race (RaceEnv's rival agents, the model's `steered_conduct`): no
steering leaves the model as it is; steering acts through the rival's conduct in the directions the
racing mechanism says (a stopped lab falls behind; a careful one adds less risk than a reckless one)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("gymnasium")
pytest.importorskip("pettingzoo")

from crunchtime.envs import RaceEnv
from crunchtime.envs.race import RIVAL_ACTION_NAMES, RIVAL_OBSERVATION_NAMES
from crunchtime.envs.worlds import Worlds, actions_from_knobs
from crunchtime.model.catalog import load_scenario
from crunchtime.model.knobs import KNOBS
from crunchtime.model.mechanisms.competition import RIVAL_STEERING, steered_conduct

DEFAULTS = {k.name: np.asarray(k.default) for k in KNOBS}


def test_steering_replaces_only_the_given_actors() -> None:
    conduct = {k: np.full((2, 3), 0.5) for k in RIVAL_STEERING}
    assert steered_conduct(conduct, {}) == conduct  # plans never steer rivals: the conduct as it was
    steer = np.array([[np.nan, 0.0, np.nan], [np.nan, np.nan, 1.0]])
    out = steered_conduct(conduct, {"rival_velocity": steer})
    np.testing.assert_array_equal(out["velocity"], [[0.5, 0.0, 0.5], [0.5, 0.5, 1.0]])
    assert out["safety_share"] is conduct["safety_share"]


def _worlds(rivals: np.ndarray | None, months: int, n: int = 64) -> Worlds:
    """`n` worlds of seed 5 on the default scenario under Magma's default knobs and the given rival conduct."""
    w = Worlds(load_scenario("default"), n, play_out=True)
    w.reset(np.arange(n), np.full(n, 5), np.arange(n))
    act = actions_from_knobs(DEFAULTS, n)
    for _ in range(months):
        w.step(act, rivals=rivals)
    return w


def test_all_nan_steering_is_the_scenario_exactly() -> None:
    free, nan = _worlds(None, 24), _worlds(np.full((64, 4, 3), np.nan), 24)
    for key in ("k", "will", "alive"):
        np.testing.assert_array_equal(free.state[key], nan.state[key])
    np.testing.assert_array_equal(free.acc["catastrophe_risk"], nan.acc["catastrophe_risk"])


def test_a_stopped_rival_falls_behind() -> None:
    steer = np.full((64, 4, 3), np.nan)
    steer[:, 1, 0] = 0.0  # actor 1 stops scaling
    free, stopped = _worlds(None, 24), _worlds(steer, 24)
    assert (stopped.state["k"][:, 1] < free.state["k"][:, 1]).all()


def test_careful_rivals_add_less_risk_than_reckless_ones() -> None:
    careful, reckless = np.full((64, 4, 3), np.nan), np.full((64, 4, 3), np.nan)
    careful[:, 1:, 1:] = [1.0, 0.0]  # all work on safety, no safeguards skipped
    reckless[:, 1:, 1:] = [0.0, 1.0]
    risk_careful = _worlds(careful, 60).acc["catastrophe_risk"]
    risk_reckless = _worlds(reckless, 60).acc["catastrophe_risk"]
    assert risk_careful.mean() < risk_reckless.mean()


def test_rival_agents_have_their_own_spaces_and_absent_agents_follow() -> None:
    env = RaceEnv(play_out=True)  # ends only at catastrophe or the horizon
    rival = env.possible_agents[1]
    assert env.action_space(rival).shape == (len(RIVAL_ACTION_NAMES),)
    assert env.observation_space(rival).shape == (len(RIVAL_OBSERVATION_NAMES),)
    magma = actions_from_knobs(DEFAULTS, 1)[0]
    cap = RIVAL_OBSERVATION_NAMES.index("capability")
    capability = []
    for actions in ({"magma": magma}, {"magma": magma, rival: np.array([1.0, 0.0, 1.0])}):
        env.reset(seed=2)
        for _ in range(18):
            obs, *_ = env.step(actions)
        assert env.agents, "trajectory 0 of seed 2 has no catastrophe in its first 18 months"
        capability.append(obs[rival][cap])
    assert capability[1] > capability[0]  # flat out with no safety work: further ahead than the scenario has it
