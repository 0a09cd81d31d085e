"""The dated entries of parameters/cost_model.yaml, with the YAML nodes that hold them.

Each entry (one ``- from: ...`` item under a parameter's ``values``) is found at
the parameter paths of ``data.params.param_index`` in the composed YAML tree, so
its exact place in the text is known and it can be edited in place (yamledit.py). An entry reached through a YAML alias
(``vakantie: *vakantie``) is one entry with several paths: editing it changes
every path that shares it, exactly as editing the YAML by hand would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from tariefmodel.data import yamlio
from tariefmodel.data.params import param_index, valid_entry
from tariefmodel.upkeep.yamltext import compose

COST_MODEL = "parameters/cost_model.yaml"
FIELDS = ("from", "until", "value", "source", "source_date", "rationale", "decided_by", "decided_on", "status",
          "assumption")




@dataclass
class Entry:
    path: str  # first path in document order, e.g. overhead.rate
    index: int  # position in the parameter's values list
    node: yaml.MappingNode
    data: dict[str, Any]  # the entry as parsed (Decimal numbers, date objects)
    aliases: list[str] = field(default_factory=list)  # other paths sharing this entry (YAML anchors)

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    @property
    def valid_from(self) -> Any:
        return self.data.get("from")

    @property
    def valid_until(self) -> Any:
        return self.data.get("until")


@dataclass
class Source:
    text: str  # without a byte-order mark
    bom: bool
    root: yaml.Node
    data: Any
    entries: list[Entry]

    def valid_on(self, path: str, day: dt.date) -> Entry | None:
        """The entry of ``path`` valid on ``day``, by the engine's rule (data.params.valid_entry)."""
        return valid_entry((e for e in self.entries if e.path == path or path in e.aliases), day)


def parse(raw: bytes) -> Source:
    """Parse the cost model's bytes; raise yamlio.YamlError on malformed YAML."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise yamlio.YamlError(f"geen UTF-8-tekst (byte {exc.start}); sla het bestand op als UTF-8", None) from exc
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    # The one YAML reader with character marks (in-place edits rely on them), shared with the upkeep commands.
    root, data = compose(text)
    return Source(text, bom, root, data, _entries(root, data))


def _entries(root: yaml.Node, data: Any) -> list[Entry]:
    """The dated entries of every parameter, by the paths the engine knows them by (data.params)."""
    entries: list[Entry] = []
    by_node: dict[int, Entry] = {}
    if not isinstance(data, dict):
        return entries
    for path, param in param_index(data).items():
        values = _node_at(root, [*path.split("."), "values"])
        if not isinstance(values, yaml.SequenceNode):
            continue
        for i, (enode, edata) in enumerate(zip(values.value, param["values"], strict=True)):
            seen = by_node.get(id(enode))
            if seen is not None:  # the same YAML entry under another path (an alias)
                seen.aliases.append(path)
                continue
            entry = Entry(path, i, enode, edata)
            by_node[id(enode)] = entry
            entries.append(entry)
    return entries


def _node_at(node: yaml.Node | None, keys: list[str]) -> yaml.Node | None:
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        pair = pairs_of(node).get(key)
        node = pair[1] if pair is not None else None
    return node


def pairs_of(node: yaml.MappingNode) -> dict[str, tuple[yaml.ScalarNode, yaml.Node]]:
    """key -> (key node, value node) of a mapping."""
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
