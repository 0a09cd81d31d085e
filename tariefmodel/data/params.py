"""The region's dated parameters, looked up by their dotted path (e.g. ``overhead.rate``)."""

from __future__ import annotations

from typing import Any


def resolve_param(cost_model: Any, path: str) -> Any:
    """The dated parameter at a dotted path of the cost model (e.g. overhead.rate), or None."""
    node = cost_model
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            return None
    return node if hasattr(node, "values") and isinstance(getattr(node, "values", None), list) else None
