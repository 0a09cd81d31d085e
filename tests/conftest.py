"""Shared fixtures: paths, a fresh copy of the mini region, a CLI runner, and small edit helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="session", autouse=True)
def _private_input_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the validated-input cache of the test run out of the user's home (subprocesses inherit it)."""
    import os

    os.environ["TARIEFMODEL_CACHE_DIR"] = str(tmp_path_factory.mktemp("inputcache"))


TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini_region"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def mini_path() -> Path:
    """The committed mini region (read-only: copy it before changing anything)."""
    return MINI


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini region in tmp_path."""
    dest = tmp_path / "region"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(scope="session")
def mini_region():
    from tariefmodel.loader.load import load_region

    return load_region(MINI)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in a file; ``old`` must occur exactly once (so an edit never misses)."""
    text = path.read_text(encoding="utf-8")
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_product(path: Path, code: str, old: str, new: str) -> None:
    """Replace ``old`` once inside the block of product ``code`` in a product file."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- code: {code}\n")
    nxt = text.find("\n  - code: ", start + 1)
    end = len(text) if nxt == -1 else nxt
    block = text[start:end]
    assert block.count(old) == 1, f"{old!r} occurs {block.count(old)} times in product {code}"
    path.write_text(text[:start] + block.replace(old, new) + text[end:], encoding="utf-8")
