"""Data-file texts that several test modules write into a copy of the mini region."""

INDEXATION = """\
series:
  ova:
    label: OVA (test)
    publications:
      - {year: 2026, kind: voorlopig, value: 0.0300, published: 2025-10-01, source: testdata OVA 2026}
methods:
  vast:
    label: Vast 3% (test)
    kind: fixed
    rate: 0.03
    source: testdata methode vast
assignments:
  - {contract: ambulant, method: vast, from: 2026-01-01, source: testdata indexatie, rationale: Test.}
  - {contract: verblijf, method: vast, from: 2026-01-01, source: testdata indexatie, rationale: Test.}
"""
