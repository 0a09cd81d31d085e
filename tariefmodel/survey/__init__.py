"""The cost-price survey (kostprijsonderzoek): questionnaire layout, reading, storing and aggregating.

Sits beside :mod:`tariefmodel.trail` and :mod:`tariefmodel.scenarios`: it reads a region
(loader) and prices its book (engine) to compare providers' own figures with the
model, and never imports outputs, api or cli. Rendering (template workbook and
report) lives in :mod:`tariefmodel.outputs`, the commands in :mod:`tariefmodel.cli.survey`.

Confidentiality is built in: aggregates carry no names or KvK numbers, and every
figure based on fewer respondents than the region's ``min_respondents`` is suppressed.
"""
