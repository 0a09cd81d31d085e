"""Yearly upkeep of a region's data folder without hand-editing: new dated entries, never rewritten values.

Modules, one job each:

* ``yamltext``  the one YAML writer: in-place edits that keep every comment and line
* ``dated``     add a dated entry to a parameter (``param set`` and the workbook import)
* ``caotables`` a raised (derived) or official salary table for a CAO
* ``indexpub``  a new OVA/PPC publication in parameters/indexation.yaml
* ``stage``     check the changed folder in a temporary copy, then write (all or nothing)
* ``newregion`` ``tariefmodel init``: a new region's data folder, as a git repository
"""
