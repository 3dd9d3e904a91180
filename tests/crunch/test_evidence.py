"""Weak-proxy evidence: closed forms against simulation, the essay's debate as two properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from crunchtime.crunch.evidence import (
    ProxyExperiment,
    break_even_validity,
    calibrated_posterior,
    evidence_report,
    naive_posterior,
    plot_voi,
    value_of_information,
)
from crunchtime.errors import InputError


def _simulate(exp: ProxyExperiment, n: int, seed: int = 0):
    """Draw (delta, y) from the true joint law."""
    rng = np.random.default_rng(seed)
    delta = rng.normal(exp.prior_mean, exp.prior_sd, n)
    a = exp.validity * exp.y_sd / exp.prior_sd
    y = exp.prior_mean + a * (delta - exp.prior_mean) + rng.normal(0, np.sqrt(1 - exp.validity**2) * exp.y_sd, n)
    return delta, y


def test_true_law_has_the_stated_validity_and_the_naive_marginal():
    exp = ProxyExperiment(0.3, 1.2, 0.7, 0.4)
    delta, y = _simulate(exp, 200_000)
    # sd of a sample correlation ~ (1 - r^2)/sqrt(n) = 0.0019; 5 sd
    assert np.corrcoef(delta, y)[0, 1] == pytest.approx(0.4, abs=0.01)
    assert y.std() == pytest.approx(exp.y_sd, rel=0.01)


def test_posteriors_match_gaussian_conditioning():
    exp = ProxyExperiment(0.5, 1.0, 0.5, 0.3)
    cal = calibrated_posterior(exp, 1.5)
    # conditional normal: mean mu + rho s0/sd_y (y - mu), sd s0 sqrt(1 - rho^2)
    assert cal.mean == pytest.approx(0.5 + 0.3 / np.sqrt(1.25) * 1.0)
    assert cal.sd == pytest.approx(np.sqrt(1 - 0.09))
    nai = naive_posterior(exp, 1.5)
    # precision-weighted average of prior (var 1) and measurement (var 0.25)
    assert nai.mean == pytest.approx((0.5 / 1 + 1.5 / 0.25) / (1 / 1 + 1 / 0.25))
    assert nai.sd == pytest.approx(np.sqrt(1 / (1 + 4)))
    assert exp.nominal_validity == pytest.approx(1 / np.sqrt(1.25))


def test_naive_and_calibrated_agree_when_the_proxy_is_as_valid_as_it_looks():
    exp = ProxyExperiment(-0.2, 1.0, 0.5, 1 / np.sqrt(1.25))
    assert calibrated_posterior(exp, 0.7).mean == pytest.approx(naive_posterior(exp, 0.7).mean)
    voi = value_of_information(exp)
    assert voi["calibrated"] == pytest.approx(voi["naive"])


@pytest.mark.parametrize("validity", [0.0, 0.2, 0.6, 0.95])
def test_voi_closed_form_matches_simulation(validity):
    exp = ProxyExperiment(0.4, 1.0, 0.6, validity)
    n = 400_000
    delta, y = _simulate(exp, n, seed=int(validity * 100))
    now = max(exp.prior_mean, 0)
    voi = value_of_information(exp)
    for name, post in [("calibrated", calibrated_posterior), ("naive", naive_posterior)]:
        gain = post(exp, 1.0).mean - post(exp, 0.0).mean
        mean_at = post(exp, 0.0).mean + gain * y
        payoff = np.where(mean_at > 0, delta, 0.0)
        tol = 5 * payoff.std() / np.sqrt(n)
        assert payoff.mean() - now == pytest.approx(float(voi[name]), abs=tol)


@settings(max_examples=300, deadline=None)
@given(
    mu=st.floats(-5, 5),
    s0=st.floats(0.01, 10),
    noise=st.floats(0, 10),
    rho=st.floats(0, 1),
)
def test_calibrated_voi_is_never_negative(mu, s0, noise, rho):
    exp = ProxyExperiment(mu, s0, noise, rho)
    assert float(value_of_information(exp)["calibrated"]) >= -1e-12


def test_naive_voi_is_negative_for_a_bullshit_experiment():
    # prior favours A (mu0 = 0.5); the experiment looks precise (noise 0.5) but is uncorrelated with crunch time
    exp = ProxyExperiment(0.5, 1.0, 0.5, 0.0)
    voi = value_of_information(exp)
    z = 0.5 / (1 / np.sqrt(1.25))  # the naive switching threshold in standard units
    expected = 0.5 * norm.cdf(z) - 0.5  # keeps A only when y is high enough; gains nothing for it
    assert float(voi["naive"]) == pytest.approx(expected)
    assert float(voi["naive"]) < -0.14
    assert float(voi["calibrated"]) == 0.0


def test_break_even_validity_is_the_root_of_naive_voi():
    exp = ProxyExperiment(0.5, 1.0, 0.5, 0.3)
    rho_star = break_even_validity(exp)
    assert 0 < rho_star < exp.nominal_validity
    voi = value_of_information(exp, np.array([rho_star - 0.01, rho_star, rho_star + 0.01]))["naive"]
    assert voi[0] < 0 and voi[1] == pytest.approx(0, abs=1e-12) and voi[2] > 0
    assert break_even_validity(ProxyExperiment(0.0, 1.0, 0.5, 0.3)) == 0.0


@pytest.mark.parametrize("kw", [dict(prior_sd=0), dict(noise_sd=-1), dict(validity=1.2), dict(validity=-0.1)])
def test_bad_inputs_name_the_field(kw):
    args = dict(prior_mean=0.5, prior_sd=1.0, noise_sd=0.5, validity=0.3) | kw
    with pytest.raises(InputError, match=next(iter(kw))):
        ProxyExperiment(**args)


def test_report_and_plot(tmp_path):
    exp = ProxyExperiment(0.5, 1.0, 0.5, 0.2)
    rep = evidence_report(exp, observed=1.5)
    assert rep["naive_posterior"]["choice"] == "A" and rep["voi_naive"] < 0 < rep["voi_calibrated"]
    out = tmp_path / "voi.png"
    plot_voi(exp, str(out), points=21)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
