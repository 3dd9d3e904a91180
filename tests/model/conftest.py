import pytest

from crunchtime import load_scenario
from crunchtime.model.plans import Plan


@pytest.fixture(scope="session")
def default_scenario():
    return load_scenario("default")


@pytest.fixture(scope="session")
def race():
    return Plan.fixed("race", velocity=1.0, safety_share=0.05, defer_to_tedai=1)


@pytest.fixture(scope="session")
def halt():
    return Plan.fixed("halt", velocity=0.0)
