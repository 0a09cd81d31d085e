"""The validated-input cache saves time and nothing else: cached and fresh runs agree byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tariefmodel.cli.main import main
from tariefmodel.data.problems import InputError
from tariefmodel.data.records import Record
from tariefmodel.engine.book import price_book
from tariefmodel.loader import cache as inputcache
from tariefmodel.loader.load import load_region


def _book_csv(runner, data: Path, out: Path) -> bytes:
    result = runner.invoke(main, ["calculate", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_cached_and_fresh_runs_give_identical_bytes(mini_copy: Path, tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    first = _book_csv(runner, mini_copy, tmp_path / "a.csv")  # validates, writes the cache
    assert len(list((tmp_path / "cache").glob("region-*.pickle"))) == 1
    second = _book_csv(runner, mini_copy, tmp_path / "b.csv")  # served from the cache
    monkeypatch.setenv("TARIEFMODEL_NO_CACHE", "1")
    third = _book_csv(runner, mini_copy, tmp_path / "c.csv")  # no cache at all
    assert first == second == third


def test_one_changed_byte_changes_the_key_and_is_validated(mini_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    key = inputcache.fingerprint(mini_copy)
    assert key is not None
    load_region(mini_copy)
    cost_model = mini_copy / "parameters/cost_model.yaml"
    text = cost_model.read_text(encoding="utf-8")
    # A percentage written as 20 instead of 0.20: the cached region must not hide the error.
    cost_model.write_text(text.replace("value: 0.10\n", "value: 10\n", 1), encoding="utf-8")
    # The key is the folder listing (unchanged); the entry holds the hash of every file read, which no longer matches.
    assert inputcache.fingerprint(mini_copy) == key
    assert inputcache.read(key, mini_copy) is None
    with pytest.raises(InputError):
        load_region(mini_copy)


def test_cached_region_is_the_validated_region(mini_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load_region(mini_copy, use_cache=False)
    load_region(mini_copy)  # writes the cache
    moved = tmp_path / "moved"
    shutil.copytree(mini_copy, moved)
    cached = load_region(moved)
    assert cached.root == moved  # the data folder is where it is now, not where it was cached
    assert cached.cost_model == fresh.cost_model
    assert [bp.product for bp in cached.products] == [bp.product for bp in fresh.products]
    assert isinstance(cached.cost_model, Record)
    assert [t.tariff_eur for t in price_book(cached, 2025).tariffs] == \
        [t.tariff_eur for t in price_book(fresh, 2025).tariffs]


def test_corrupt_cache_file_is_ignored(mini_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    load_region(mini_copy)
    (pickle_file,) = (tmp_path / "cache").glob("region-*.pickle")
    pickle_file.write_bytes(b"not a pickle")
    assert load_region(mini_copy).info.name  # validated again, no crash


def test_cache_hit_does_not_import_pydantic(mini_copy: Path, tmp_path: Path) -> None:
    # The point of the cache: a run on validated inputs never pays for importing the validator.
    env = dict(os.environ, TARIEFMODEL_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("TARIEFMODEL_NO_CACHE", None)
    code = ("import sys; from tariefmodel.cli import main; "
            f"sys.argv=['tariefmodel','calculate','--data',{str(mini_copy)!r},'--out',{str(tmp_path / 'x.csv')!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('pydantic' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip().endswith("True")  # validated: pydantic was needed
    assert second.stdout.strip().endswith("False")  # cached: it was not
