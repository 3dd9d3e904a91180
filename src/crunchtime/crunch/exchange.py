"""What preparation is worth: the exchange rate between pre-crunch months and crunch-time days.

Transparent arithmetic on the essay's argument: deployment waits on the lab's crunch-time safety
work, a day of delay costs ``delay_cost_per_day``, the lab has few safety researchers, so each of
their crunch-time hours is very valuable, while pre-crunch hours of the whole community are cheap.
Preparation speeds up a share of crunch-time work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from crunchtime.errors import InputError


@dataclass(frozen=True)
class ExchangeInputs:
    """Every input, with the essay argument it stands for in ``ARGUMENTS``."""

    delay_cost_per_day: float = 1e9
    lab_researchers: float = 50.0
    community_researchers: float = 1000.0
    crunch_hours_per_day: float = 12.0
    researcher_month_cost: float = 25_000.0
    hours_per_month: float = 160.0
    crunch_days: float = 90.0
    prep_share: float = 0.3
    prep_speedup: float = 1.1
    prep_months: float = 12.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not np.isfinite(value) or value <= 0:
                raise InputError("exchange-rate", f.name, f"must be a positive number, got {value!r}")
        if self.prep_share > 1:
            raise InputError("exchange-rate", "prep_share", f"must be a share between 0 and 1, got {self.prep_share!r}")
        if self.prep_speedup < 1:
            raise InputError(
                "exchange-rate",
                "prep_speedup",
                f"must be >= 1 (1 = preparation does nothing), got {self.prep_speedup!r}",
            )


ARGUMENTS: dict[str, str] = {
    "delay_cost_per_day": "'The cost of delaying internal deployment will be very high: a billion dollars of revenue per day, "
    "competitive winner-takes-all race dynamics' ($ per day of delay).",
    "lab_researchers": "'There might be far fewer safety researchers in the lab than there currently are in the whole community' "
    "(safety researchers inside the lab during early crunch time).",
    "community_researchers": "The whole community that can do weak-proxy research before crunch time (researchers).",
    "crunch_hours_per_day": "'Safety-researcher-hours will be an incredible scarce resource': working hours per lab researcher per crunch day.",
    "researcher_month_cost": "Opportunity cost of one pre-crunch researcher-month ($): what the month could buy elsewhere.",
    "hours_per_month": "Working hours in a pre-crunch researcher-month.",
    "crunch_days": "Length of early crunch time, 'between (i) training the first ASL-4 model, and (ii) internally deploying' it (days), "
    "where '90% of the actual work will occur'.",
    "prep_share": "Share of crunch-time work that preparation speeds up, via 'rough qualitative takeaways', reusable 'tooling' "
    "(Inspect, TransformerLens) and learning 'who is well-suited to which kind of role'.",
    "prep_speedup": "How much faster that share goes after preparation: pre-crunch experiments 'will slightly speed us up in "
    "early-crunch-time' (1 = no effect).",
    "prep_months": "Months the community spends on preparation: 'worth spending months in pre-crunch-time to save ourselves days "
    "(or even hours) in early-crunch-time'.",
}


def exchange_rate(inp: ExchangeInputs) -> dict[str, Any]:
    """Value of crunch and pre-crunch hours, the break-even months per crunch day saved, and the programme's yield."""
    d, c = inp.delay_cost_per_day, inp.researcher_month_cost
    crunch_hour_value = d / (inp.lab_researchers * inp.crunch_hours_per_day)
    precrunch_hour_value = c / inp.hours_per_month
    community_month_cost = inp.community_researchers * c
    days_saved = inp.crunch_days * inp.prep_share * (1.0 - 1.0 / inp.prep_speedup)
    programme_cost = inp.prep_months * community_month_cost
    programme_value = days_saved * d
    needed = programme_cost / (inp.crunch_days * inp.prep_share * d)  # 1 - 1/g* at break-even
    return {
        "inputs": asdict(inp),
        "crunch_hour_value": crunch_hour_value,
        "precrunch_hour_value": precrunch_hour_value,
        "hour_exchange_rate": crunch_hour_value / precrunch_hour_value,
        "break_even_researcher_months_per_crunch_day": d / c,
        "break_even_community_months_per_crunch_day": d / community_month_cost,
        "break_even_crunch_hours_per_community_month": community_month_cost / d * 24.0,
        "days_saved": days_saved,
        "lab_hours_saved": days_saved * inp.lab_researchers * inp.crunch_hours_per_day,
        "programme_cost": programme_cost,
        "programme_value": programme_value,
        "benefit_cost_ratio": programme_value / programme_cost,
        "programme_community_months_per_crunch_day": inp.prep_months / days_saved if days_saved > 0 else float("inf"),
        "break_even_prep_speedup": 1.0 / (1.0 - needed) if needed < 1 else float("inf"),
        "worth_it": programme_value >= programme_cost,
    }
