"""The README's benchmark figures, generated from bench/RESULTS.md so that they cannot drift.

Each benchmark writes its own section of RESULTS.md (bench/results.py). The README quotes some
figures of each section between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`; those
blocks are made here from the sections, never typed by hand. Writing a section rewrites the
blocks (bench/results.py calls `sync_file`), `python bench/readme.py` does it on demand, and
`python bench/readme.py --check` (run by tests/test_readme_figures.py) fails when the README
says something the results do not.

    python bench/readme.py [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "RESULTS.md"

Table = list[dict[str, str]]
BOUND = r"Crawler, Postgres and site server together: .*"
"""The crawl benchmark's line on the bound its machine's CPU sets (bench/crawl_throughput.py)."""


class MissingFigure(LookupError):
    """A block needs a section, table or row that RESULTS.md does not have."""


def sections(results: str) -> dict[str, str]:
    """The text of each `<!-- name -->` ... `<!-- /name -->` section."""
    return {m.group(1): m.group(2)
            for m in re.finditer(r"<!-- ([a-z-]+) -->\n(.*?)<!-- /\1 -->", results, re.S)}


def tables(section: str) -> list[Table]:
    """The section's markdown tables, each row a dict keyed by the header's cells."""
    found: list[Table] = []
    lines = section.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            header = _cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(dict(zip(header, _cells(lines[i]), strict=False)))
                i += 1
            found.append(rows)
        else:
            i += 1
    return found


def table_text(section: str, index: int) -> str:
    """The index-th table of a section as it is written there."""
    blocks = re.findall(r"(?m)^(\|.*\n\|---.*\n(?:\|.*\n?)*)", section)
    if index >= len(blocks):
        raise MissingFigure(f"table {index + 1} of a section")
    return blocks[index].rstrip("\n")


def row(table: Table, label: str) -> dict[str, str]:
    """The row whose first cell contains `label` (markdown emphasis ignored)."""
    for r in table:
        if label in next(iter(r.values()), "").replace("*", ""):
            return r
    raise MissingFigure(f"a row {label!r}")


def line(section: str, pattern: str) -> re.Match[str]:
    found = re.search(pattern, section)
    if found is None:
        raise MissingFigure(f"a line matching {pattern!r}")
    return found


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.strip().strip("|").split("|")]


def _plain(cell: str) -> str:
    return cell.replace("*", "")


def _measured(section: str) -> str:
    return line(section, r"[Mm]easured (\d{4}-\d{2}-\d{2})").group(1)


# ---- the blocks -----------------------------------------------------------------------------

def _extraction(s: dict[str, str]) -> str:
    quality, crawl = s["extraction"], s["crawl-throughput"]
    generic, fields = tables(quality)[0], tables(quality)[1]
    ours, plain = row(generic, "jpnews"), row(generic, "trafilatura (defaults)")
    every = row(fields, "all")
    parsed = line(crawl, r"jpnews ([\d.]+) CPU ms/page; trafilatura\.extract ([\d.]+)")
    return (
        f"Quality on the real pages of `../shared/corpus` (measured {_measured(quality)}): on "
        f"the outlets' own pages ({every['pages']}) title {every['title']}, date "
        f"{every['date']}, authors {every['authors']}, body paragraphs "
        f"{_plain(every['body paragraphs found'])}; on the 78 pages of "
        f"article-extraction-benchmark (sites we have no parser for) the generic path scores "
        f"F1 {_plain(ours['F1'])} against {_plain(plain['F1'])} for plain trafilatura.\n\n"
        f"Extraction costs {parsed.group(1)} CPU ms a page on an outlet with a parser "
        f"(structured data and the outlet's rules, on the crawl benchmark's pages, where "
        f"trafilatura takes {parsed.group(2)}) and about {ours['CPU ms/page']} ms on a page "
        f"that goes through the generic path, like trafilatura ({plain['CPU ms/page']} ms "
        f"there).")


def _crawl(s: dict[str, str]) -> str:
    section = s["crawl-throughput"]
    setup = line(section, r"Generated site: (.*?); measured (\d{4}-\d{2}-\d{2})")
    ratio = line(section, r"End to end at .*")
    machine = line(section, r"Where the machine's CPU went .*")
    bound = line(section, BOUND)
    return (f"{setup.group(1)}; measured {setup.group(2)}:\n\n{table_text(section, 0)}\n\n"
            f"{ratio.group(0)}\n\n{table_text(section, 1)}\n\n{machine.group(0)}\n\n"
            f"{table_text(section, 2)}\n\n{bound.group(0)}")


def _crawl_speed(s: dict[str, str]) -> str:
    """One process against Scrapy's ceiling, and where its CPU goes (the profile's top)."""
    crawl, profile = s["crawl-throughput"], s["crawl-profile"]
    ratio = line(crawl, r"End to end at .*")
    bound = line(crawl, BOUND)
    own = tables(profile)[1][:6]
    top = "; ".join(f"{_plain(r['function'])} {r['own ms / article']} ms" for r in own)
    return (f"Measured {_measured(crawl)}: {ratio.group(0)} {bound.group(0)}\n\n"
            f"Profile of one such crawl (measured {_measured(profile)}, yappi, every thread; "
            f"the profiler inflates each call, so compare the entries with each other): most "
            f"own CPU per article in {top}.")


def _search(s: dict[str, str]) -> str:
    section = s["search"]
    sizes = line(section, r"Search index \(GIN\).*")
    store = tables(section)[1] if len(tables(section)) > 1 else []
    rates = "; ".join(f"{r['search document']}: {r['store articles/s']} articles/s"
                      for r in store)
    return (f"Measured {_measured(section)}:\n\n{table_text(section, 0)}\n\n{sizes.group(0)} "
            f"Store rate into an empty database, {rates}.")


def _export(s: dict[str, str]) -> str:
    section = s["export"]
    return (f"Measured {_measured(section)}:\n\n{table_text(section, 0)}\n\n"
            f"{table_text(section, 1)}")


def _first_table(name: str) -> Callable[[dict[str, str]], str]:
    """A block that is the section's date and its first table, as it stands there."""
    def block(s: dict[str, str]) -> str:
        section = s[name]
        return f"Measured {_measured(section)}:\n\n{table_text(section, 0)}"
    return block


def _dedup(s: dict[str, str]) -> str:
    section = s["dedup"]
    found = tables(section)
    quality = row(found[0], "all pairs")
    scale = next(t for t in found if t and "end to end (identity + write)" in t[0])
    lookup = next(t for t in found if t and "lookup median" in t[0])
    server = row(scale, "server")
    near = {r["stored articles"]: _plain(r["lookup median"]) for r in lookup
            if r["mode"] == "server"}
    return (
        f"Measured {_measured(section)}: on the labelled set, pairwise precision "
        f"{_plain(quality['precision'])} and recall {_plain(quality['recall'])}; loading "
        f"{server['articles']} generated articles (10 % near-copies) runs at "
        f"{_plain(server['end to end (identity + write)'])}, and one near-duplicate lookup "
        f"takes {near.get('10,000', '?')} at 10,000 stored articles and "
        f"{near.get('100,000', '?')} at 100,000, with {server['peak RSS']} peak RSS.")


def _faults(s: dict[str, str]) -> str:
    section = s["faults"]
    counts = tables(section)[0]

    def got(label: str) -> str:
        return _plain(row(counts, label)["crawl's row"])

    failed = sum(int(_plain(r["crawl's row"]).replace(",", "")) for r in counts
                 if r["count"].startswith("failed: "))
    return (
        f"Measured {_measured(section)} (`bench/faults.py`): on a mirror of "
        f"{got('article URLs discovered')} articles whose listings also link bad URLs, the "
        f"crawl's row accounted for {got('accounted for')} of "
        f"{got('article URLs discovered')} discovered URLs: {got('article pages fetched')} "
        f"article pages and {failed:,} failures by reason; "
        f"{got('requests to the off-site server')} requests reached the off-site server and "
        f"{got('stored rows not of the outlet')} stored rows were not the outlet's.")


BLOCKS: dict[str, Callable[[dict[str, str]], str]] = {
    "extraction": _extraction, "crawl": _crawl, "crawl-speed": _crawl_speed, "search": _search,
    "export": _export,
    "feed": _first_table("feed"), "dedup": _dedup, "incremental": _first_table("incremental"),
    "faults": _faults, "backfill": _first_table("backfill"),
    "workers": _first_table("crawl-workers"),
}


def sync(readme: str, results: str) -> str:
    """The README with every figures block made from `results`; blocks of a section that is
    missing are left as they are (a benchmark not run yet on this checkout)."""
    parts = sections(results)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        try:
            text = BLOCKS[name](parts)
        except KeyError:
            return match.group(0)
        return f"<!-- figures:{name} -->\n{text}\n<!-- /figures:{name} -->"

    return re.sub(r"<!-- figures:([a-z-]+) -->\n.*?<!-- /figures:\1 -->", fill, readme,
                  flags=re.S)


def sync_file(readme: Path = README, results: Path = RESULTS) -> bool:
    """Rewrite the README's blocks; True when it changed."""
    before = readme.read_text(encoding="utf-8")
    after = sync(before, results.read_text(encoding="utf-8"))
    if after != before:
        readme.write_text(after, encoding="utf-8")
    return after != before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the README's figures differ from bench/RESULTS.md")
    args = parser.parse_args(argv)
    try:
        return _check() if args.check else _write()
    except MissingFigure as exc:
        print(f"bench/RESULTS.md lacks a figure the README quotes: {exc}", file=sys.stderr)
        return 1


def _check() -> int:
    current = README.read_text(encoding="utf-8")
    if sync(current, RESULTS.read_text(encoding="utf-8")) != current:
        print("README.md figures differ from bench/RESULTS.md: run python bench/readme.py",
              file=sys.stderr)
        return 1
    return 0


def _write() -> int:
    print("README.md updated" if sync_file() else "README.md already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
