"""A learned plan: train Stable-Baselines3 PPO on MagmaEnv (default scenario), compare it with `clymer` and
`rsp` on the same worlds (common random numbers), and show which observations drive its actions.

    pip install "crunchtime[envs,rl]"      # stable-baselines3 pulls in PyTorch
    python examples/train_ppo.py --timesteps 100000 --eval 2000

The evaluation plays the learned policy on trajectories 0..N-1 of `--eval-seed`, played out to the horizon
(`play_out=True`), so trajectory i is the same world, with the same shocks, that `simulate(..., seed)` gives
the built-in plans (tests/envs/test_envs.py checks that equivalence). See docs/envs.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import numpy as np

from crunchtime.envs import INSTALL, available

Policy = Callable[[np.ndarray], np.ndarray]  # observations (n, d) -> actions (n, k)
METRICS = ("catastrophe", "trustworthy_obsolescence", "coordinated_pause", "unresolved")


def play(policy: Policy, scenario: str, samples: int, seed: int) -> np.ndarray:
    """World outcome index (into WORLD_OUTCOMES) of trajectories 0..samples-1 of `seed` under `policy`,
    played out to the horizon in one vector env (each world's first episode)."""
    from crunchtime.envs import MagmaVectorEnv

    env = MagmaVectorEnv(samples, scenario, play_out=True)
    obs, _ = env.reset(seed=seed)
    outcome = np.full(samples, -1)
    while (outcome < 0).any():
        obs_before = obs
        obs, _, terminated, truncated, info = env.step(policy(obs_before))
        first = (terminated | truncated) & (outcome < 0)
        outcome = np.where(first, info["world_outcome"], outcome)
    return outcome


def paired(learned: np.ndarray, other: np.ndarray, metric: str) -> tuple[float, float, float]:
    """P_learned(metric) - P_other(metric) with a 95% interval from the per-trajectory differences."""
    from crunchtime.api import WORLD_OUTCOMES

    code = WORLD_OUTCOMES.index(metric)
    d = (learned == code).astype(float) - (other == code).astype(float)
    half = 1.96 * d.std(ddof=1) / np.sqrt(d.size)
    return float(d.mean()), float(d.mean() - half), float(d.mean() + half)


def _verdict(sign: int, lo: float, hi: float) -> str:
    """'better' or 'worse' where the interval excludes 0 (sign: +1 higher is better, -1 lower is, 0 neither)."""
    if sign == 0 or lo <= 0 <= hi:
        return "" if sign == 0 else "no clear difference"
    return "better" if (lo > 0) == (sign > 0) else "worse"


def permutation_importance(policy: Policy, obs: np.ndarray, seed: int = 0) -> dict[str, float]:
    """Mean absolute change of the policy's actions (in units of each knob's range) when one observable is
    shuffled across the recorded observations: how much the policy's actions depend on it."""
    from crunchtime.api import KNOBS
    from crunchtime.envs.worlds import OBSERVATION_NAMES

    rng = np.random.default_rng(seed)
    span = np.array([k.high - k.low for k in KNOBS])
    base = policy(obs)
    scores = {}
    for i, name in enumerate(OBSERVATION_NAMES):
        shuffled = obs.copy()
        shuffled[:, i] = rng.permutation(obs[:, i])
        scores[name] = float(np.mean(np.abs(policy(shuffled) - base) / span))
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))


def recorded_observations(policy: Policy, scenario: str, worlds: int, seed: int, months: int) -> np.ndarray:
    """Observations the policy meets on `worlds` worlds over `months` months (for the importance)."""
    from crunchtime.envs import MagmaVectorEnv

    env = MagmaVectorEnv(worlds, scenario)
    obs, _ = env.reset(seed=seed)
    rows = [obs]
    for _ in range(months):
        obs, *_ = env.step(policy(obs))
        rows.append(obs)
    return np.concatenate(rows)


def report(policy: Policy, scenario: str, samples: int, seed: int) -> None:
    """Print the paired comparison with clymer and rsp, and the observations that drive the policy."""
    from crunchtime.api import simulate

    learned = play(policy, scenario, samples, seed)
    print(f"\nPaired comparison on {samples} worlds (seed {seed}), learned minus plan, 95% interval:")
    for plan in ("clymer", "rsp"):
        other = simulate(scenario, plan, samples=samples, seed=seed).world_outcome
        for metric in METRICS:
            diff, lo, hi = paired(learned, other, metric)
            sign = {"catastrophe": -1, "unresolved": 0}.get(metric, 1)  # which direction is better
            verdict = _verdict(sign, lo, hi)
            print(f"  vs {plan:7s} P({metric}): {diff:+.3f} [{lo:+.3f}, {hi:+.3f}] {verdict}")
    obs = recorded_observations(policy, scenario, 64, seed + 1, 96)
    print("\nObservations that drive the learned policy's actions (permutation importance, top 10):")
    for name, score in list(permutation_importance(policy, obs).items())[:10]:
        print(f"  {name:28s} {score:.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--timesteps", type=int, default=100_000, help="PPO training steps (months)")
    parser.add_argument("--envs", type=int, default=8, help="worlds trained on at once")
    parser.add_argument("--seed", type=int, default=0, help="training seed")
    parser.add_argument("--eval", type=int, default=2000, help="worlds in the paired evaluation")
    parser.add_argument("--eval-seed", type=int, default=1, help="seed of the evaluation worlds (not trained on)")
    args = parser.parse_args(argv)
    if not available():
        print(f"this example needs Gymnasium and PettingZoo: {INSTALL}")
        return 1
    try:
        from stable_baselines3 import PPO
        from stable_baselines3.common.env_util import make_vec_env
        from stable_baselines3.common.vec_env import VecNormalize
    except ImportError:
        print('this example needs Stable-Baselines3: pip install "crunchtime[rl]"')
        return 1
    from crunchtime.envs import MagmaEnv

    # training worlds: trajectories of seed `--seed` (each env has its own seed); evaluation uses `--eval-seed`
    venv = make_vec_env(lambda: MagmaEnv(args.scenario), n_envs=args.envs, seed=args.seed)
    venv = VecNormalize(venv, norm_obs=True, norm_reward=False)
    model = PPO("MlpPolicy", venv, seed=args.seed, n_steps=512, batch_size=256, gamma=0.995, verbose=1)
    model.learn(total_timesteps=args.timesteps)
    venv.training = False

    def policy(obs: np.ndarray) -> np.ndarray:
        actions, _ = model.predict(venv.normalize_obs(obs), deterministic=True)
        return np.asarray(actions, dtype=np.float64)

    report(policy, args.scenario, args.eval, args.eval_seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
