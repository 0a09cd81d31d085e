"""Workbooks: the review workbook (live formulas that recompute every tariff) and the
editable parameter workbook with its checked import.

Modules, one job each:

* ``formula``     formula text and its exact value, built in lockstep
* ``xlsx``        deterministic xlsxwriter workbooks: formats, safe text, widths, names
* ``kinds``       what kind of value each cost-model parameter holds (unit, format, validation)
* ``review_*``    the sheets of the review workbook; ``review`` puts them together
* ``parambook``   the parameter workbook (export)
* ``xlsxguard``   refuses incoming files that are not plain, small, self-contained xlsx
* (``tariefmodel.upkeep.yamltext`` edits the YAML text in place, keeping comments and layout)
* ``paramimport`` reads a parameter workbook back, checks it and applies the changes

xlsxwriter and openpyxl are imported inside the functions that need them.
"""
