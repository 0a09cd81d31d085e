"""Weighted percentiles, exactly (Decimal), as the survey report and the benchmarks use them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def weighted_percentile(values: Sequence[Decimal], weights: Sequence[Decimal], q: Decimal) -> Decimal:
    """The weighted ``q``-quantile (0 <= q <= 1): the averaged inverted weighted distribution function.

    Definition. Sort the values ascending, x_1 <= ... <= x_n, each with its weight w_i > 0
    (ties keep their input order; it does not change the result). Let W = w_1 + ... + w_n,
    C_k = w_1 + ... + w_k the cumulative weight, and t = q x W the target weight. Take the
    smallest k with C_k >= t. The percentile is

    * (x_k + x_{k+1}) / 2 when C_k = t exactly and k < n (the target falls on the boundary
      between two values: take the midpoint, as the ordinary median of an even count does);
    * x_k otherwise.

    This is Hyndman & Fan's definition 2 ("averaged inverted CDF", numpy's
    ``method="averaged_inverted_cdf"``) with weights: a respondent of weight 3 counts as three
    respondents of weight 1, so with volume weights the median is the median over the units
    of volume, not over the respondents. With equal weights it is the textbook median.

    Examples (checked in tests/test_survey.py):
    values 10, 20, 30, 40, weights 1, 1, 1, 1: W = 4; median t = 2 = C_2 -> (20 + 30) / 2 = 25;
    P25 t = 1 = C_1 -> (10 + 20) / 2 = 15; P75 t = 3 = C_3 -> (30 + 40) / 2 = 35.
    Weights 1, 1, 1, 5: W = 8; median t = 4, C = 1, 2, 3, 8 -> k = 4 -> 40; P25 t = 2 = C_2 -> 25.
    """
    if not values or len(values) != len(weights):
        raise ValueError("weighted_percentile needs as many weights as values, at least one")
    if not Decimal(0) <= q <= Decimal(1):
        raise ValueError(f"q = {q} lies outside 0..1")
    pairs = sorted(zip(values, weights, strict=True), key=lambda p: p[0])
    if any(w <= 0 for _, w in pairs):
        raise ValueError("weights must be positive")
    total = sum((w for _, w in pairs), Decimal(0))
    target = q * total
    cumulative = Decimal(0)
    for k, (x, w) in enumerate(pairs):
        cumulative += w
        if cumulative >= target:
            if cumulative == target and k + 1 < len(pairs):
                return (x + pairs[k + 1][0]) / 2
            return x
    return pairs[-1][0]  # pragma: no cover - cumulative reaches total >= target
