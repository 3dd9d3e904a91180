"""Weak-proxy evidence: what a pre-crunch experiment is worth to a calibrated and to a naive updater.

Model (all Gaussian, all closed form). The crunch-time quantity is the effect difference between
technique A and technique B, ``delta ~ N(mu0, s0^2)``. A pre-crunch experiment reports ``y`` with
nominal measurement noise ``sigma``: taken at face value, ``y = delta + N(0, sigma^2)``, whose
correlation with ``delta`` is the *nominal validity* ``rho_nom = s0 / sqrt(s0^2 + sigma^2)``.
In truth the experiment measures a proxy: ``y`` has the same marginal ``N(mu0, s0^2 + sigma^2)``
but correlation ``rho`` (the *proxy validity*, 0..1) with ``delta``.

The calibrated updater conditions on the true joint law; the naive updater treats the proxy as
valid. Each picks A when its posterior mean of ``delta`` is positive. Value of information is the
expected ``delta``-payoff of the decision after seeing ``y``, under the true law, minus
``max(mu0, 0)``, the payoff of deciding now.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.special import ndtr

from crunchtime.errors import InputError


def _phi(z: np.ndarray | float) -> np.ndarray | float:
    z = np.clip(z, -1e10, 1e10)  # the density is 0 there anyway; avoids overflow warnings
    return np.exp(-0.5 * np.square(z)) / np.sqrt(2.0 * np.pi)


@dataclass(frozen=True)
class ProxyExperiment:
    """Prior on the crunch-time effect difference and the experiment's noise and validity."""

    prior_mean: float
    prior_sd: float
    noise_sd: float
    validity: float

    def __post_init__(self) -> None:
        checks = [
            ("prior_sd", self.prior_sd > 0, "must be > 0"),
            ("noise_sd", self.noise_sd >= 0, "must be >= 0"),
            ("validity", 0.0 <= self.validity <= 1.0, "must be a correlation between 0 and 1"),
            ("prior_mean", np.isfinite(self.prior_mean), "must be finite"),
        ]
        for field, ok, problem in checks:
            if not ok or not np.isfinite(getattr(self, field)):
                raise InputError("evidence", field, f"{problem}, got {getattr(self, field)!r}")

    @property
    def y_sd(self) -> float:
        """Standard deviation of the experiment's result (the same under both views)."""
        return float(np.hypot(self.prior_sd, self.noise_sd))

    @property
    def nominal_validity(self) -> float:
        """Correlation of ``y`` with ``delta`` if the proxy were valid: ``s0 / sqrt(s0^2 + sigma^2)``."""
        return self.prior_sd / self.y_sd


@dataclass(frozen=True)
class Posterior:
    mean: float
    sd: float
    choice: str  # "A" or "B"


def calibrated_posterior(exp: ProxyExperiment, y: float) -> Posterior:
    """Exact posterior of ``delta`` given ``y`` under the true joint law (correlation = validity)."""
    gain = exp.validity * exp.prior_sd / exp.y_sd
    mean = exp.prior_mean + gain * (y - exp.prior_mean)
    sd = exp.prior_sd * np.sqrt(1.0 - exp.validity**2)
    return Posterior(float(mean), float(sd), "A" if mean > 0 else "B")


def naive_posterior(exp: ProxyExperiment, y: float) -> Posterior:
    """Posterior of an updater who treats ``y`` as ``delta`` plus nominal noise (the proxy as valid)."""
    gain = exp.prior_sd**2 / exp.y_sd**2
    mean = exp.prior_mean + gain * (y - exp.prior_mean)
    sd = exp.prior_sd * exp.noise_sd / exp.y_sd
    return Posterior(float(mean), float(sd), "A" if mean > 0 else "B")


def _decision_value(mu0: float, s0: float, rho_true: np.ndarray | float, rho_used: np.ndarray | float) -> np.ndarray:
    """E[delta * 1{updater picks A}] under the true law, for an updater who acts as if validity were ``rho_used``.

    The updater picks A iff ``y > mu0 - mu0 * sd_y / (rho_used * s0)``; with ``z = mu0 / (rho_used s0)``
    the payoff is ``mu0 * Phi(z) + rho_true * s0 * phi(z)``. ``rho_used = 0`` means "ignore the data".
    """
    rho_true, rho_used = np.broadcast_arrays(np.asarray(rho_true, float), np.asarray(rho_used, float))
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # divided in two steps: rho_used * s0 can underflow to 0 for a subnormal validity (0/0 would be NaN)
        z = mu0 / np.where(rho_used > 0, rho_used, 1.0) / s0
        informed = mu0 * ndtr(z) + rho_true * s0 * _phi(z)
    prior_only = np.maximum(mu0, 0.0)
    # rho_used == 0 with mu0 == 0: the updater is indifferent; payoff 0 either way.
    return np.where(rho_used > 0, informed, prior_only)


def value_of_information(exp: ProxyExperiment, validity: np.ndarray | float | None = None) -> dict[str, np.ndarray]:
    """Expected value of running the experiment for the calibrated and the naive updater (in units of delta).

    Vectorised over ``validity`` (defaults to the experiment's own).
    """
    rho = exp.validity if validity is None else validity
    rho = np.asarray(rho, dtype=float)
    now = max(exp.prior_mean, 0.0)
    calibrated = _decision_value(exp.prior_mean, exp.prior_sd, rho, rho) - now
    naive = _decision_value(exp.prior_mean, exp.prior_sd, rho, np.full_like(rho, exp.nominal_validity)) - now
    return {"calibrated": calibrated, "naive": naive}


def break_even_validity(exp: ProxyExperiment) -> float:
    """Validity below which the naive updater's value of information is negative (0 if never).

    The naive payoff is linear in the true validity, so the root is closed form:
    ``rho* = |mu0| Phi(-|z|) / (s0 phi(z))`` with ``z = mu0 / (rho_nom s0)``.
    """
    mu0, s0 = exp.prior_mean, exp.prior_sd
    z = mu0 / (exp.nominal_validity * s0)
    return float(abs(mu0) * ndtr(-abs(z)) / (s0 * _phi(z)))


def evidence_report(exp: ProxyExperiment, observed: float | None = None) -> dict[str, Any]:
    """Everything the CLI prints: VOI for both updaters, break-even validity, posteriors for ``observed``."""
    voi = value_of_information(exp)
    out: dict[str, Any] = {
        "inputs": asdict(exp),
        "nominal_validity": exp.nominal_validity,
        "decision_now": "A" if exp.prior_mean > 0 else "B",
        "value_now": max(exp.prior_mean, 0.0),
        "voi_calibrated": float(voi["calibrated"]),
        "voi_naive": float(voi["naive"]),
        "break_even_validity": break_even_validity(exp),
    }
    if observed is not None:
        out["observed"] = observed
        out["calibrated_posterior"] = asdict(calibrated_posterior(exp, observed))
        out["naive_posterior"] = asdict(naive_posterior(exp, observed))
    return out


def plot_voi(exp: ProxyExperiment, path: str, points: int = 201) -> None:
    """Save a PNG of value of information against proxy validity for both updaters."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rho = np.linspace(0.0, 1.0, points)
    voi = value_of_information(exp, rho)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.plot(rho, voi["calibrated"], lw=2, color="tab:blue", label="calibrated (Bayesian) updater")
    ax.plot(rho, voi["naive"], lw=2, color="tab:red", ls="--", label="naive updater (treats proxy as valid)")
    ax.axvline(exp.nominal_validity, color="0.3", ls=":", lw=1)
    ax.text(exp.nominal_validity, ax.get_ylim()[1], "nominal validity ", va="top", ha="right", fontsize=8, color="0.3")
    rho_star = break_even_validity(exp)
    if 0 < rho_star < 1:
        ax.axvline(rho_star, color="tab:red", ls=":", lw=1)
        ax.text(
            rho_star,
            ax.get_ylim()[0],
            " naive VOI < 0 to the left",
            va="bottom",
            ha="left",
            fontsize=8,
            color="tab:red",
        )
    ax.axvline(exp.validity, color="tab:green", lw=1, alpha=0.7, label=f"this experiment (validity {exp.validity:g})")
    ax.set_xlabel("proxy validity: corr(experiment result, crunch-time effect)")
    ax.set_ylabel("value of information (units of effect difference)")
    ax.set_title(
        f"Weak-proxy evidence: prior N({exp.prior_mean:g}, {exp.prior_sd:g}²), noise sd {exp.noise_sd:g}",
        fontsize=10,
    )
    ax.set_xlim(0, 1)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
