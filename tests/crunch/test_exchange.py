"""Exchange rate: transparent arithmetic, every input documented."""

from dataclasses import fields

import pytest

from crunchtime.crunch.exchange import ARGUMENTS, ExchangeInputs, exchange_rate
from crunchtime.errors import InputError


def test_defaults_give_the_hand_computed_figures():
    out = exchange_rate(ExchangeInputs())
    assert out["crunch_hour_value"] == pytest.approx(1e9 / (50 * 12))
    assert out["precrunch_hour_value"] == pytest.approx(25_000 / 160)
    assert out["break_even_researcher_months_per_crunch_day"] == pytest.approx(40_000)
    assert out["break_even_community_months_per_crunch_day"] == pytest.approx(40)
    assert out["days_saved"] == pytest.approx(90 * 0.3 * (1 - 1 / 1.1))
    assert out["programme_cost"] == pytest.approx(12 * 1000 * 25_000)
    assert out["benefit_cost_ratio"] == pytest.approx(out["days_saved"] * 1e9 / 3e8)
    assert out["worth_it"] is True


def test_break_even_speedup_makes_benefit_equal_cost():
    inp = ExchangeInputs(prep_share=0.1, crunch_days=30)
    g = exchange_rate(inp)["break_even_prep_speedup"]
    at = exchange_rate(ExchangeInputs(prep_share=0.1, crunch_days=30, prep_speedup=g))
    assert at["benefit_cost_ratio"] == pytest.approx(1.0)


def test_fewer_lab_researchers_make_crunch_hours_dearer():
    few = exchange_rate(ExchangeInputs(lab_researchers=10))["hour_exchange_rate"]
    many = exchange_rate(ExchangeInputs(lab_researchers=100))["hour_exchange_rate"]
    assert few == pytest.approx(10 * many)


def test_unreachable_break_even_and_no_effect():
    out = exchange_rate(ExchangeInputs(delay_cost_per_day=1e3, prep_speedup=1.0))
    assert out["break_even_prep_speedup"] == float("inf")
    assert out["days_saved"] == 0 and out["programme_community_months_per_crunch_day"] == float("inf")
    assert out["worth_it"] is False


def test_every_input_is_documented_with_the_essay_argument():
    assert set(ARGUMENTS) == {f.name for f in fields(ExchangeInputs)}


@pytest.mark.parametrize(
    "kw", [dict(lab_researchers=0), dict(prep_share=1.5), dict(prep_speedup=0.9), dict(crunch_days=-1)]
)
def test_bad_inputs_name_the_field(kw):
    with pytest.raises(InputError, match=next(iter(kw))):
        ExchangeInputs(**kw)
