"""bench/RESULTS.md, written by several benchmarks: each replaces its own section only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(name: str, title: str, report: str, results: Path = RESULTS) -> None:
    """Replace the section between `<!-- name -->` and `<!-- /name -->`, keeping the others.

    The file is read just before and replaced atomically, since other benchmarks may be
    writing their sections too.
    """
    begin, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{begin}\n## {title}\n\n{report}\n{end}"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=results.parent,
                                     prefix=".RESULTS.", delete=False) as tmp:
        tmp.write(text)
    # NamedTemporaryFile is private (0600); keep the mode the file had, else a normal file's.
    os.chmod(tmp.name, results.stat().st_mode & 0o777 if results.exists() else 0o644)
    os.replace(tmp.name, results)
    readme = results.parent.parent / "README.md"  # the README beside bench/ quotes these figures
    if readme.exists():
        from bench.readme import sync_file
        sync_file(readme=readme, results=results)
