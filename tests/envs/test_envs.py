"""The environments (crunchtime.envs): both env checkers, the equivalence with `simulate`, the vector env,
seeding, and a smoke run of a random policy (CI's stand-in for training, examples/train_ppo.py)."""

from __future__ import annotations

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")
pytest.importorskip("pettingzoo")

from crunchtime.envs import MagmaEnv, MagmaVectorEnv, RaceEnv  # noqa: E402
from crunchtime.envs.magma import as_dict  # noqa: E402
from crunchtime.envs.worlds import ACTION_NAMES, OBSERVATION_NAMES, actions_from_knobs  # noqa: E402
from crunchtime.model.catalog import load_plan, load_scenario  # noqa: E402
from crunchtime.model.knobs import KNOB_NAMES  # noqa: E402
from crunchtime.model.observables import OBSERVABLE_NAMES  # noqa: E402
from crunchtime.model.state import OUTCOMES, WORLD_OUTCOMES  # noqa: E402
from crunchtime.results.simulation import simulate  # noqa: E402

SEED = 3
EPISODES = 24


def _play(env: MagmaEnv, plan_name: str, episodes: int, seed: int) -> list[dict]:
    """Episodes 0.. of `seed` with a built-in plan deciding on the env's observation each month."""
    plan = load_plan(plan_name)
    ends = []
    for e in range(episodes):
        obs, info = env.reset(seed=seed if e == 0 else None)
        assert info["trajectory"] == e
        total, done = 0.0, False
        while not done:
            knobs = plan.decide({k: v[None] for k, v in as_dict(obs).items()})
            obs, reward, terminated, truncated, info = env.step(actions_from_knobs(knobs, 1)[0])
            total += reward
            done = terminated or truncated
        ends.append(dict(info, reward=total, terminated=terminated))
    return ends


def test_spaces_follow_the_model_order() -> None:
    env = MagmaEnv()
    assert OBSERVATION_NAMES == OBSERVABLE_NAMES and env.observation_space.shape == (len(OBSERVABLE_NAMES),)
    assert ACTION_NAMES == KNOB_NAMES and env.action_space.shape == (len(KNOB_NAMES),)


def test_gymnasium_env_checker_passes() -> None:
    from gymnasium.utils.env_checker import check_env

    check_env(MagmaEnv(), skip_render_check=True)


def test_pettingzoo_parallel_api_test_passes() -> None:
    from pettingzoo.test import parallel_api_test

    parallel_api_test(RaceEnv(), num_cycles=120)


@pytest.mark.parametrize("plan", ["clymer", "rsp"])
def test_playing_a_plan_through_the_env_gives_simulate_outcomes(plan: str) -> None:
    """Episode i after reset(seed=s), played out to the horizon, is trajectory i of simulate(seed=s)."""
    res = simulate(load_scenario("default"), plan, samples=EPISODES, seed=SEED)
    ends = _play(MagmaEnv(play_out=True), plan, EPISODES, SEED)
    assert [e["world_outcome"] for e in ends] == [WORLD_OUTCOMES[i] for i in res.world_outcome]
    assert [e["outcome"] for e in ends] == [OUTCOMES[i] for i in res.outcome]
    cat = res.world_outcome == WORLD_OUTCOMES.index("catastrophe")
    assert [e["terminated"] for e in ends] == list(cat)


def test_default_episode_ends_at_the_worlds_first_outcome() -> None:
    """Without play_out an episode ends at the first outcome; simulate agrees unless a later catastrophe overrode it."""
    res = simulate(load_scenario("default"), "clymer", samples=EPISODES, seed=SEED)
    ends = _play(MagmaEnv(), "clymer", EPISODES, SEED)
    rewards = {"catastrophe": -1.0, "trustworthy_obsolescence": 1.0, "coordinated_pause": 0.5, "unresolved": 0.0}
    for e, world, month in zip(ends, res.world_outcome, res.world_month):
        sim = WORLD_OUTCOMES[world]
        assert e["reward"] == rewards[e["world_outcome"]]
        if e["world_outcome"] == "unresolved":
            assert sim == "unresolved" and not e["terminated"]
        else:
            assert e["terminated"] and (sim == e["world_outcome"] or sim == "catastrophe")
            if sim == e["world_outcome"]:
                assert e["month"] == month + 1


def test_seeding_reproduces_and_trajectory_option() -> None:
    env = MagmaEnv()
    a, _ = env.reset(seed=7)
    b, _ = env.reset(seed=7)
    c, info = env.reset(seed=7, options={"trajectory": 300})
    assert np.array_equal(a, b) and info["trajectory"] == 300 and not np.array_equal(a, c)
    assert env.reset()[1]["trajectory"] == 301


def test_vector_env_is_the_single_env_batched() -> None:
    """World j of the vector env plays trajectory j, month by month as the single env does."""
    n, months = 4, 30
    rng = np.random.default_rng(0)
    actions = rng.uniform(size=(months, n, len(ACTION_NAMES)))
    venv = MagmaVectorEnv(n)
    vobs, _ = venv.reset(seed=SEED)
    vrows = [vobs]
    for t in range(months):
        vobs, *_ = venv.step(actions[t])
        vrows.append(vobs)
    env = MagmaEnv()
    for j in range(n):
        obs, _ = env.reset(seed=SEED, options={"trajectory": j})
        assert np.array_equal(obs, vrows[0][j])
        for t in range(months):
            obs, _, terminated, truncated, _ = env.step(actions[t, j])
            assert np.array_equal(obs, vrows[t + 1][j])
            if terminated or truncated:
                break


def test_random_policy_smoke_run() -> None:
    """CI's stand-in for training: a few hundred steps of a random policy through the vector env (autoreset)."""
    venv = MagmaVectorEnv(8)
    venv.action_space.seed(0)
    venv.reset(seed=0)
    ended = 0
    for _ in range(60):
        obs, reward, terminated, truncated, _info = venv.step(venv.action_space.sample())
        assert obs.shape == (8, len(OBSERVATION_NAMES)) and np.all(np.isfinite(obs))
        ended += int((terminated | truncated).sum())
    assert ended > 0 and set(np.unique(reward)) <= {-1.0, 0.0, 0.5, 1.0}


def test_unknown_reward_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcomes"):
        MagmaEnv(rewards={"victory": 1.0})


def test_example_evaluation_pairs_the_same_worlds() -> None:
    """examples/train_ppo.py's evaluation, with clymer standing in for the learned policy, equals clymer."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "train_ppo.py"
    spec = importlib.util.spec_from_file_location("train_ppo", path)
    assert spec and spec.loader
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    plan = load_plan("clymer")

    def policy(obs: np.ndarray) -> np.ndarray:
        return actions_from_knobs(plan.decide(as_dict(obs)), obs.shape[0])

    learned = example.play(policy, "default", 32, SEED)
    other = simulate(load_scenario("default"), plan, samples=32, seed=SEED).world_outcome
    assert np.array_equal(learned, other)
    assert example.paired(learned, other, "catastrophe") == (0.0, 0.0, 0.0)
    scores = example.permutation_importance(policy, example.recorded_observations(policy, "default", 4, 0, 12))
    assert set(scores) == set(OBSERVATION_NAMES)
