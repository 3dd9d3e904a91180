"""The essay's own Table 1 ratings, as read from its TEXT (our copy of the essay lacks the table image).

Clymer's section 7 scores interventions on three axes ("the amount of safety that the intervention buys
given its costs", "the extent to which the intervention is applicable to other AI developers", "the extent
to which the intervention benefits from taking actions in advance") in a table that is an image. The text
names the top-scoring interventions (P0 raising awareness, P1 getting ready to elicit safety research from
AI, P2 preparing extreme security) and discusses each category. Each rating below is a qualitative reading
of one quoted passage; `None` where the text says nothing about that axis for that category. These are our
readings of the text, not the table's cells.
"""

from __future__ import annotations

from typing import Any

#: the ordinal scale of the ratings (higher is better on every axis)
LEVELS: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
#: the three axes, in the essay's order, with the JSON key of each
AXES: dict[str, str] = {
    "safety_per_cost": "the amount of safety that the intervention buys given its costs",
    "use_to_other_developers": "the extent to which the intervention is applicable to other AI developers",
    "benefit_of_acting_early": "the extent to which the intervention benefits from taking actions in advance",
}

_P_LIST = (
    "The top-scoring interventions in this table are: P0. Raising awareness of risks ... "
    "P1. Getting ready to elicit safety research from AI ... P2. Preparing extreme security"
)


def _r(rating: str | None, passage: str | None) -> dict[str, Any]:
    return {"rating": rating, "passage": passage}


#: category key -> axis -> {"rating": "high"|"medium"|"low"|None, "passage": quoted text or None}
ESSAY: dict[str, dict[str, dict[str, Any]]] = {
    "nonproliferation": {
        "safety_per_cost": _r(
            "high",
            "Here are security measures that (1) have long lead times, (2) might be "
            "especially effective given their costs, and (3) are relatively exportable.",
        ),
        "use_to_other_developers": _r(
            "high",
            "Exportability is crucial because attackers can steal AI from companies "
            "with the weakest security, so security improvements are most valuable "
            "if they are widely adopted by actors at the frontier.",
        ),
        "benefit_of_acting_early": _r(
            "high",
            "the class of interventions with the longest lead times is arguably "
            "security ... some security measures require significant advanced "
            "planning and cannot be developed incrementally.",
        ),
    },
    "safety_distribution": {
        "safety_per_cost": _r(None, None),
        "use_to_other_developers": _r(
            "high",
            "AI safety distribution: Lower the costs of making AI safe. "
            "Strategy: Export safety research to other developers.",
        ),
        "benefit_of_acting_early": _r(None, None),
    },
    "governance": {
        "safety_per_cost": _r(
            "high",
            "Perhaps the intervention in this category that appears to me like the "
            "lowest hanging fruit is clearly communicating the nature of extreme risks",
        ),
        "use_to_other_developers": _r(
            "high",
            "Setting norms. Magma might lead by example ... Preparing for "
            "coordination. Finally, magma could try to coordinate with other "
            "developers in advance to agree on triggers for a slowdown",
        ),
        "benefit_of_acting_early": _r("high", _P_LIST + " (P0 is raising awareness)."),
    },
    "ai_defense": {
        "safety_per_cost": _r(None, None),
        "use_to_other_developers": _r(None, None),
        "benefit_of_acting_early": _r(
            "low",
            "AI defense benefits less from preparation than the other categories "
            'do. ... Such systems are probably capable enough to "apply '
            'themselves" for defensive uses.',
        ),
    },
    "alignment_control_evaluation": {
        "safety_per_cost": _r(
            "high", "under short timelines, there is huge upside in preparing to leverage accelerated AI safety work."
        ),
        "use_to_other_developers": _r(None, None),
        "benefit_of_acting_early": _r(
            "high",
            "If AI developers suddenly had access to powerful AI assistance, I "
            "think a lot of it would be wasted because very few people have "
            "thought deeply about safety evaluation methodologies.",
        ),
    },
}

#: one line for the docs, report and `--json`: where these ratings come from
SOURCE_NOTE = (
    "Essay ratings are read from the TEXT of Clymer's section 7 (the P0-P2 list and each category's "
    "discussion), not from Table 1's image, which our copy lacks; null where the text is silent."
)

#: the extra share of Magma's resources each Table 1 experiment moves (a light module, so the CLI shows it instantly)
DEFAULT_STEP = 0.02
TABLE1_STEP = DEFAULT_STEP  # the public API's name for it
