"""Sources still to be filled in: every ``source`` in a YAML input that only promises one ('TODO', '???').

A region started with ``tariefmodel init --leeg`` has a TODO source on every
value; the loader refuses them all, and lists them first, so ``validate`` reads
as the list of what to fill in before anything can be priced.
"""

from __future__ import annotations

from typing import Any

from tariefmodel.data.problems import Problem
from tariefmodel.data.yamlio import line_of

TODO_MESSAGE = "nog in te vullen"


def todo_problems(file: str, data: Any) -> list[Problem]:
    """One problem per placeholder source in the parsed file, in file order."""
    from tariefmodel.data.schema import is_placeholder  # pydantic: only when validating, never on a cache hit

    out: list[Problem] = []
    _walk(file, data, data, (), out, is_placeholder)
    return out


def _walk(file: str, top: Any, node: Any, loc: tuple[Any, ...], out: list[Problem], placeholder: Any) -> None:
    if isinstance(node, dict):
        src = node.get("source")
        if isinstance(src, str) and placeholder(src):
            where = ".".join(str(p) for p in loc)
            out.append(Problem(file, where, f"{TODO_MESSAGE}: de bron (nu {src.strip()!r}); noem het document en "
                               "de pagina of het adres, en controleer de waarde", line=line_of(top, (*loc, "source"))))
        for k, v in node.items():
            _walk(file, top, v, (*loc, k), out, placeholder)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _walk(file, top, v, (*loc, i), out, placeholder)
