"""Reinforcement-learning environments over the engine's month (docs/envs.md): `MagmaEnv` (Gymnasium),
`MagmaVectorEnv` (many worlds in one batched step) and `RaceEnv` (PettingZoo).

The environments need Gymnasium and PettingZoo (the `envs` extra); `available()` says whether they can be
imported and `INSTALL` how to install them. The names are imported on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

INSTALL = 'pip install "crunchtime[envs]"'
_HOMES = {
    "MagmaEnv": "crunchtime.envs.magma",
    "MagmaVectorEnv": "crunchtime.envs.magma",
    "RaceEnv": "crunchtime.envs.race",
}
__all__ = ["INSTALL", "MagmaEnv", "MagmaVectorEnv", "RaceEnv", "available"]

if TYPE_CHECKING:
    from crunchtime.envs.magma import MagmaEnv as MagmaEnv
    from crunchtime.envs.magma import MagmaVectorEnv as MagmaVectorEnv
    from crunchtime.envs.race import RaceEnv as RaceEnv


def available() -> bool:
    """Whether Gymnasium and PettingZoo can be imported (the `envs` extra is installed)."""
    try:
        import gymnasium  # noqa: F401
        import pettingzoo  # noqa: F401
    except ImportError:
        return False
    return True


def __getattr__(name: str) -> Any:
    """Import an environment's module on first use, with a one-line message when its libraries are missing."""
    if name not in _HOMES:
        raise AttributeError(f"module 'crunchtime.envs' has no attribute {name!r}")
    if not available():
        raise ImportError(f"crunchtime.envs.{name} needs Gymnasium and PettingZoo: {INSTALL}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
