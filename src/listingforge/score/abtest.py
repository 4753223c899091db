"""A/B test statistics for listing variants: rates with Wilson intervals, the two-proportion z-test,
the Bayesian probability that each variant is best, and the sample size still needed.

Plain functions over counts; the CLI (``listingforge abtest results.csv``) reads a table and prints these.
Formulas are the textbook ones, cited where used; scipy gives the normal quantiles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

from ..errors import ConfigError


class Variant(BaseModel):
    name: str
    trials: int  # impressions (for CTR) or clicks / visits (for conversion)
    successes: int  # clicks or orders


class VariantResult(BaseModel):
    name: str
    trials: int
    successes: int
    rate: float
    ci_low: float
    ci_high: float
    lift: float | None = None  # relative to the control: (rate - control) / control
    z: float | None = None  # two-proportion z against the control
    p_value: float | None = None
    p_best: float
    more_needed: int  # more trials this variant needs to detect ``mde`` against the control


class ABReport(BaseModel):
    control: str
    confidence: float
    alpha: float
    power: float
    mde: float
    relative_mde: bool
    needed_per_variant: int
    variants: list[VariantResult]

    @property
    def winner(self) -> str | None:
        """The variant with P(best) ≥ 0.95 whose test against the control is significant, if any."""
        for v in self.variants:
            if v.p_best >= 0.95 and (v.name == self.control or (v.p_value is not None and v.p_value < self.alpha)):
                return v.name
        return None


def _z(q: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(q))


def _check(successes: int, trials: int) -> None:
    if trials < 0 or successes < 0 or successes > trials:
        raise ConfigError(f"counts must satisfy 0 ≤ successes ≤ trials (got {successes} of {trials})")


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval (Wilson 1927; Newcombe 1998, method 3). (0, 1) when there are no trials."""
    _check(successes, trials)
    if trials == 0:
        return 0.0, 1.0
    z = _z(1 - (1 - confidence) / 2)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_ztest(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """Pooled two-proportion z-test of p1 = p2; returns (z, two-sided p). z > 0 when p1 > p2."""
    from scipy.stats import norm

    _check(x1, n1)
    _check(x2, n2)
    if n1 == 0 or n2 == 0:
        return 0.0, 1.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / se
    return z, float(2 * norm.sf(abs(z)))


def prob_best(
    variants: Sequence[tuple[int, int]], *, draws: int = 200_000, seed: int = 0, prior: tuple[float, float] = (1, 1)
) -> list[float]:
    """P(each variant has the highest rate), sampling Beta(prior + successes, prior + failures) posteriors."""
    if not variants:
        return []
    rng = np.random.default_rng(seed)
    a, b = prior
    samples = np.column_stack([rng.beta(a + s, b + n - s, size=draws) for s, n in variants])
    best = np.bincount(samples.argmax(axis=1), minlength=len(variants))
    return (best / draws).tolist()


def sample_size(
    p_base: float, mde: float, *, alpha: float = 0.05, power: float = 0.8, relative: bool = True,
    two_sided: bool = True,
) -> int:
    """Trials per variant to detect a change of ``mde`` from ``p_base`` (Fleiss, Levin & Paik 2003, eq. 4.14,
    without continuity correction):

        n = (z_{1-α/2} √(2 p̄ (1 − p̄)) + z_{1-β} √(p1 (1 − p1) + p2 (1 − p2)))² / (p2 − p1)²,  p̄ = (p1 + p2) / 2
    """
    if not 0 < p_base < 1:
        raise ConfigError(f"baseline rate must be between 0 and 1 (got {p_base}); is there any success yet?")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ConfigError("alpha and power must be between 0 and 1")
    p2 = p_base * (1 + mde) if relative else p_base + mde
    if mde <= 0 or not 0 < p2 < 1:
        raise ConfigError(f"minimum detectable effect {mde} gives a target rate {p2:.4g} outside (0, 1)")
    za = _z(1 - alpha / 2) if two_sided else _z(1 - alpha)
    zb = _z(power)
    pbar = (p_base + p2) / 2
    num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p_base * (1 - p_base) + p2 * (1 - p2))
    return math.ceil(num * num / (p2 - p_base) ** 2)


def analyze(
    variants: Sequence[Variant], *, control: str | None = None, confidence: float = 0.95, alpha: float = 0.05,
    power: float = 0.8, mde: float = 0.1, relative_mde: bool = True, seed: int = 0,
) -> ABReport:
    """Everything above for a set of variants; the control is ``control`` or the first variant."""
    if len(variants) < 2:
        raise ConfigError(f"an A/B test needs at least two variants (got {len(variants)})")
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise ConfigError(f"variant names repeat: {names}; give each row a distinct variant name")
    ctrl = next((v for v in variants if v.name == control), None) if control else variants[0]
    if ctrl is None:
        raise ConfigError(f"control {control!r} is not a variant; variants: {', '.join(names)}")
    for v in variants:
        _check(v.successes, v.trials)
    p_ctrl = ctrl.successes / ctrl.trials if ctrl.trials else 0.0
    pooled = sum(v.successes for v in variants) / max(sum(v.trials for v in variants), 1)
    base = p_ctrl if 0 < p_ctrl < 1 else pooled
    needed = sample_size(base, mde, alpha=alpha, power=power, relative=relative_mde) if 0 < base < 1 else 0
    best = prob_best([(v.successes, v.trials) for v in variants], seed=seed)
    out = []
    for v, pb in zip(variants, best, strict=True):
        lo, hi = wilson_interval(v.successes, v.trials, confidence)
        rate = v.successes / v.trials if v.trials else 0.0
        z = p = lift = None
        if v is not ctrl:
            z, p = two_proportion_ztest(v.successes, v.trials, ctrl.successes, ctrl.trials)
            lift = (rate - p_ctrl) / p_ctrl if p_ctrl else None
        out.append(VariantResult(
            name=v.name, trials=v.trials, successes=v.successes, rate=rate, ci_low=lo, ci_high=hi, lift=lift,
            z=z, p_value=p, p_best=pb, more_needed=max(needed - v.trials, 0),
        ))
    return ABReport(control=ctrl.name, confidence=confidence, alpha=alpha, power=power, mde=mde,
                    relative_mde=relative_mde, needed_per_variant=needed, variants=out)
