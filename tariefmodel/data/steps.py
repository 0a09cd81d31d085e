"""How a function profile's CAO steps are weighted: one step, or a distribution over steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def step_weights(spec: Any) -> dict[str, Decimal]:
    """A function map entry's steps as step -> weight (one step is weight 1)."""
    return {spec.step: Decimal(1)} if spec.step is not None else dict(spec.steps or {})
