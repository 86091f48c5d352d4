"""The README's benchmark figures are the ones in bench/RESULTS.md (bench/readme.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench import readme, results  # noqa: E402

FEED = """<!-- feed -->
## Change feed (`bench/feed.py`)

10,000 generated articles; measured 2026-12-03 on 2 cores.

| feed run | changes | wall s |
|---|---:|---:|
| Parquet | 10,000 | {wall} |
<!-- /feed -->
"""
README = "intro\n\n<!-- figures:feed -->\nold text\n<!-- /figures:feed -->\n\nafter\n"


def test_the_readme_quotes_the_results_as_they_are() -> None:
    checked = subprocess.run([sys.executable, "bench/readme.py", "--check"], cwd=ROOT,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_every_block_is_in_the_readme() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in readme.BLOCKS:
        assert f"<!-- figures:{name} -->" in text, name


def test_a_new_result_rewrites_its_block_and_nothing_else() -> None:
    first = readme.sync(README, FEED.format(wall="1.67"))
    assert "| Parquet | 10,000 | 1.67 |" in first and "old text" not in first
    assert first.startswith("intro\n\n") and first.endswith("\n\nafter\n")
    again = readme.sync(first, FEED.format(wall="2.10"))
    assert "| Parquet | 10,000 | 2.10 |" in again and "1.67" not in again
    assert "Measured 2026-12-03" in again


def test_a_block_whose_section_is_missing_is_left_alone() -> None:
    assert readme.sync(README, "# Benchmark results\n") == README


def test_a_benchmark_writing_its_section_updates_the_readme(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    section = FEED.format(wall="3.25").split("\n", 2)[2].rsplit("<!--", 1)[0]
    results.write_section("feed", "Change feed (`bench/feed.py`)", section.strip() + "\n",
                          results=tmp_path / "bench" / "RESULTS.md")
    assert "| Parquet | 10,000 | 3.25 |" in (tmp_path / "README.md").read_text(encoding="utf-8")
