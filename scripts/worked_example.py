"""Write the README's worked example: one tariff from monthly salary to unit price.

The example is the engine's own ``explain`` output for one product, so the
numbers in the README cannot drift from the code (a test regenerates it and
compares). Usage: ``python scripts/worked_example.py [--check]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- worked:start -->", "<!-- worked:end -->"
PRODUCT, VARIANT, YEAR = "45A48", "jeugdzorg", 2025


def block() -> str:
    import tariefmodel as tm

    region = tm.load(ROOT)
    t = tm.tariff(region, PRODUCT, VARIANT, YEAR)
    text = tm.explain_text(t, region)
    return (
        f"`tariefmodel explain {PRODUCT} --variant {VARIANT} --year {YEAR}` on the bundled region: the tariff "
        f"for regular ambulant youth support under the CAO Jeugdzorg. Each function profile's salary comes "
        f"from the CAO table cell named beside it; every later figure follows from the formula beside it; "
        f"section 3 lists each parameter with its source. Intermediates are shown to four decimals; the "
        f"engine keeps them exact and rounds only the tariff.\n\n```text\n{text}```\n"
    )


def main() -> int:
    readme = README.read_text(encoding="utf-8")
    head, rest = readme.split(START, 1)
    old, tail = rest.split(END, 1)
    new = "\n" + block()
    if "--check" in sys.argv:
        if old != new:
            print("README worked example is stale: run python scripts/worked_example.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(f"{head}{START}{new}{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
