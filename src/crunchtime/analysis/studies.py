"""Optuna glue for `crunchtime optimize`: samplers, and one journal file per study so a search can resume.

A study lives in `<run store home>/studies/<study id>.journal` (optuna's JournalStorage: an append-only
log, safe to interrupt at any point). Its settings (scenario and plan texts' hashes, samples, seed,
objective, space, sampler) are stored with it; resuming checks that they match, so every trial of a
study is evaluated on the same worlds and shocks (common random numbers).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from crunchtime.errors import ArgumentError, CrunchtimeError

EXTRA_HINT = 'crunchtime optimize needs optuna: pip install "crunchtime[optimize]"'
#: optimisers: TPE (Bergstra et al. 2011, optuna's default), CMA-ES (Hansen 2016), NSGA-II (Deb et al. 2002,
#: multi-objective: the Pareto front), and uniform random search (a baseline)
SAMPLERS = ("tpe", "cmaes", "nsga2", "random")
#: NSGA-II generation size: a quarter of the trial budget (at least 4, at most optuna's default 50), so that
#: a 40-trial search runs four generations instead of stopping inside the first, random, one
NSGA_MIN_POPULATION, NSGA_MAX_POPULATION, NSGA_GENERATIONS = 4, 50, 4
STUDY_ID_RE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
SETTINGS_ATTR = "crunchtime_settings"


def optuna_module() -> Any:
    """The optuna module, or one line saying how to install it."""
    try:
        import optuna
    except ImportError:
        raise CrunchtimeError(EXTRA_HINT) from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def studies_dir(home: str | Path | None) -> Path:
    from crunchtime.results.store import default_home

    return (Path(home).expanduser() if home is not None else default_home()) / "studies"


def new_study_id() -> str:
    """A fresh id such as `20261125-231502-3fa9c1` (time-ordered, like run ids)."""
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def sub_seed(seed: int, *stream: int) -> int:
    """A seed for a named sub-stream of `seed`: the first 63 bits of numpy's SeedSequence((seed, *stream))."""
    return int(np.random.SeedSequence([seed, *stream]).generate_state(1, np.uint64)[0] >> np.uint64(1))


def fingerprint(settings: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def make_sampler(name: str, seed: int, starts: Mapping[str, float], trials: int, pareto: bool) -> Any:
    """The optuna sampler `name`, seeded; CMA-ES starts at the start plan's values."""
    optuna = optuna_module()
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "nsga2":
        pop = int(np.clip(trials // NSGA_GENERATIONS, NSGA_MIN_POPULATION, NSGA_MAX_POPULATION))
        return optuna.samplers.NSGAIISampler(population_size=pop, seed=seed)
    if name == "cmaes":
        try:
            import cmaes  # noqa: F401  (optuna's CMA-ES sampler needs it)
        except ImportError:
            raise CrunchtimeError(EXTRA_HINT.replace("optuna", "optuna and cmaes")) from None
        with warnings.catch_warnings():  # x0 is deprecated from optuna 4.9 and kept until 6 (our bound: <6)
            warnings.simplefilter("ignore", FutureWarning)
            return optuna.samplers.CmaEsSampler(x0=dict(starts), seed=seed, warn_independent_sampling=False)
    raise ArgumentError("sampler", f"must be one of {', '.join(SAMPLERS)}, got {name!r}")


def check_sampler(name: str, pareto: bool) -> str:
    if name not in SAMPLERS:
        raise ArgumentError("sampler", f"must be one of {', '.join(SAMPLERS)}, got {name!r}")
    if pareto and name == "cmaes":
        raise ArgumentError("sampler", "cmaes searches one objective; use nsga2 (or tpe, random) with pareto")
    return name


def open_study(
    study_id: str | None, home: str | Path | None, settings: Mapping[str, Any], directions: Sequence[str]
) -> tuple[Any, str, bool]:
    """(study, id, resumed): a new study, or the one `study_id` names after checking its settings match."""
    optuna = optuna_module()
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    folder = studies_dir(home)
    if study_id is None:
        study_id = new_study_id()
        resumed = False
    else:
        if not isinstance(study_id, str) or not STUDY_ID_RE.match(study_id):
            raise ArgumentError("resume", f"not a study id (like 20261125-231502-3fa9c1): {study_id!r}")
        if not (folder / f"{study_id}.journal").is_file():
            raise ArgumentError("resume", f"no study {study_id} in {folder}")
        resumed = True
    folder.mkdir(parents=True, exist_ok=True)
    storage = JournalStorage(JournalFileBackend(str(folder / f"{study_id}.journal")))
    if resumed:
        study = optuna.load_study(study_name=study_id, storage=storage)
        stored = study.user_attrs.get(SETTINGS_ATTR, {})
        for key, value in settings.items():
            if stored.get(key) != value:
                raise ArgumentError(
                    "resume",
                    f"study {study_id} was started with {key}={_show(stored.get(key))}, "
                    f"not {_show(value)}; give the same settings to resume it",
                )
    else:
        study = optuna.create_study(study_name=study_id, storage=storage, directions=list(directions))
        study.set_user_attr(SETTINGS_ATTR, dict(settings))
    return study, study_id, resumed


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def complete_trials(study: Any) -> list[Any]:
    """The study's finished trials in order (a trial cut off by an interruption is left out)."""
    optuna = optuna_module()
    return sorted(study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,)), key=lambda t: t.number)
