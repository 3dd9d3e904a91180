"""Beliefs and plans by name or file: the built-in scenarios and plans, loading either, and the parameters a
design may set."""

from __future__ import annotations

from pathlib import Path

from crunchtime.model import design as _design
from crunchtime.model.design import Parameter
from crunchtime.model.plans import Plan, list_builtin_plans
from crunchtime.model.plans import load_plan as _load_plan
from crunchtime.model.scenario import Scenario, builtin_scenarios
from crunchtime.model.scenario import load_scenario as _load_scenario


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load beliefs: a built-in scenario by name or a scenario YAML file, validated.

    Parameters
    ----------
    name_or_path : str or Path
        A built-in name (see `list_scenarios`) or a YAML file; a file may `extends:` another.

    Returns
    -------
    Scenario
        Start month, horizon, world parameters and actors, each a distribution.

    Examples
    --------
    >>> sc = load_scenario("default")
    >>> sc.actor_names[0]
    'Magma'
    """
    return _load_scenario(name_or_path)


def list_scenarios() -> list[tuple[str, str]]:
    """The built-in scenarios.

    Returns
    -------
    list of (name, description)

    Examples
    --------
    >>> "default" in dict(list_scenarios())
    True
    """
    return builtin_scenarios()


def load_plan(name_or_path: str | Path | Plan) -> Plan:
    """Load a plan: a built-in plan by name or a plan YAML file (which may `extends:` another plan).

    Parameters
    ----------
    name_or_path : str, Path or Plan
        A built-in name (see `list_plans`), a YAML file, or a Plan (returned as is). Any object with a
        `name` and a `decide(observables) -> knobs` method is also returned as is (a plan written in
        Python; it runs in one process only, since workers rebuild plans from their YAML text).

    Returns
    -------
    Plan
        The validated plan; `plan.decide(observables)` gives its knobs.

    Examples
    --------
    >>> load_plan("clymer").params["lagging_months"]
    6.0
    """
    return _load_plan(name_or_path) if isinstance(name_or_path, (str, Path)) else name_or_path


def list_plans() -> list[tuple[str, str]]:
    """The built-in plans.

    Returns
    -------
    list of (name, description)

    Examples
    --------
    >>> "clymer" in dict(list_plans())
    True
    """
    return list_builtin_plans()


def parameters(scenario: Scenario | str | Path, uncertain_only: bool = False) -> list[Parameter]:
    """The parameters a design may set: world parameters by name, actor fields as `ACTOR.FIELD`.

    Parameters
    ----------
    scenario : Scenario, str or Path
    uncertain_only : bool
        Leave out those the scenario states as constants.

    Returns
    -------
    list of Parameter
        Each with `.name`, `.distribution` (the belief), `.spec` (unit, valid range) and `.ppf(u)`.

    Examples
    --------
    >>> [p.name for p in parameters("default")][:2]
    ['algorithmic_progress', 'returns_r']
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return _design.parameters(sc, uncertain_only)
