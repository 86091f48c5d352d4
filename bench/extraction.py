"""Extraction quality on the real pages of the shared corpus (never copied into the repository).

Two questions, one run:

1. **Body text on pages of any site** (`aeb/`, 78 pages of the scrapinghub
   article-extraction-benchmark): how close is `extract_article(...).body` to the benchmark's
   reference text, against plain trafilatura on the same pages in the same process? Scored with
   the benchmark's own metric (re-implemented below from its `evaluate.py`), so our numbers can be
   set beside the ones it publishes.
2. **Every field on the outlets we crawl** (`jp/`, `en/japantimes/`, `tf/`): title, date, authors
   and body paragraphs against the expected outputs of fundus and trafilatura's test data. The
   pages are few, so this is a per-page checklist for parser work more than a statistic.

It prints both tables plus per-page detail (the pages where we lose most to trafilatura, every
failing field with our value against the expected one) and writes the tables, without the
detail, to the `extraction` section of bench/RESULTS.md.

    python bench/extraction.py [--corpus DIR] [--bootstrap 1000] [--no-write] [--quick]

The corpus folder is `JPNEWS_CORPUS`, default `../shared/corpus` from the repository root.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from statistics import fmean, stdev
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, bench/ is sys.path[0], not the repository
    sys.path.insert(0, str(ROOT))

from bench import results as results_file  # noqa: E402
from crawler.extract import extract_article, read_saved_page  # noqa: E402
from crawler.html import UndecodablePage, decode_html  # noqa: E402
from crawler.items import Article  # noqa: E402
from crawler.normalize import Rejected  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "extraction"
TOKYO = ZoneInfo("Asia/Tokyo")
# Crawl instant for a page whose metadata records none: the one test_corpus.py uses, so a
# relative date on such a page resolves the same way here as in the tests.
FALLBACK_CRAWLED_AT = datetime(2025, 1, 31, tzinfo=timezone.utc)
TRUNCATE = 90


def corpus_dir(explicit: Path | None = None) -> Path:
    """The corpus folder: the argument, else `JPNEWS_CORPUS`, else `<repo>/../shared/corpus`."""
    if explicit is not None:
        return explicit
    return Path(os.environ.get("JPNEWS_CORPUS", ROOT.parent / "shared" / "corpus"))


# ==== Part 1: the article-extraction-benchmark metric ===========================================
#
# Re-implemented from scrapinghub/article-extraction-benchmark evaluate.py at 4a3bc979f76c (the
# commit the corpus' aeb/ pages come from):
# * tokens are the matches of the regex \w+ (Unicode word characters), not whitespace splits;
#   case is kept and punctuation is dropped;
# * shingles are the 4-grams of those tokens, counted as a multiset; a text of 1 to 3 tokens
#   is one shorter shingle, a text without a token (empty or refused output) has none;
# * per page, TP/FP/FN are the multiset overlap and excesses, then divided by TP+FP+FN so that
#   every page weighs the same whatever its length;
# * per page precision = TP/(TP+FP), recall = TP/(TP+FN), both 1 when FP = FN = 0;
# * precision is averaged over the pages whose output has a shingle (TP+FP > 0) and recall over
#   the pages whose reference has one (TP+FN > 0): an empty output costs recall, not precision;
# * F1 is the harmonic mean of those two averages, not an average of per-page F1;
# * accuracy is the share of pages whose output has exactly the reference's token sequence;
# * uncertainty by a bootstrap over pages (1,000 resamples). Upstream prints the resamples'
#   standard deviation after "±"; we print that and the 2.5-97.5 percentile interval.

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")

Counts = tuple[float, float, float]
"""(TP, FP, FN) of one page, normalised to sum to 1 (or all 0 when both texts are empty)."""


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: runs of word characters, whatever the language."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of token n-grams; a text shorter than `size` tokens is a single shingle."""
    tokens = tokenize(text)
    return Counter(tuple(tokens[i:i + size])
                   for i in range(max(1, len(tokens) - size + 1)) if tokens[i:i + size])


def shingle_counts(true: str | None, pred: str | None) -> Counts:
    """Normalised TP/FP/FN of one page, so that long articles do not outweigh short ones."""
    expected, got = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in expected.keys() | got.keys():
        t, p = expected.get(key, 0), got.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def page_f1(counts: Counts) -> float:
    """F1 of one page, for ranking pages only; the benchmark's F1 is computed from averages."""
    precision, recall = precision_score(*counts), recall_score(*counts)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def aggregate(pages: list[Counts]) -> dict[str, float]:
    """Benchmark precision, recall and F1 over a set of pages (see the rules above)."""
    precisions = [precision_score(*c) for c in pages if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in pages if c[0] + c[2] > 0]
    precision = fmean(precisions) if precisions else 0.0
    recall = fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def bootstrap(pages: list[Counts], resamples: int, seed: int = 0) -> dict[str, tuple[float, ...]]:
    """Per metric: (std, 2.5th percentile, 97.5th percentile) over page resamples."""
    rng = random.Random(seed)
    values: dict[str, list[float]] = {}
    n = len(pages)
    for _ in range(resamples):
        sample = [pages[rng.randrange(n)] for _ in range(n)]
        for key, value in aggregate(sample).items():
            values.setdefault(key, []).append(value)
    out: dict[str, tuple[float, ...]] = {}
    for key, series in values.items():
        series.sort()
        low = series[int(0.025 * (len(series) - 1))]
        high = series[int(round(0.975 * (len(series) - 1)))]
        out[key] = (stdev(series) if len(series) > 1 else 0.0, low, high)
    return out


# ==== Part 1: running the systems ===============================================================

@dataclass
class AebPage:
    """One benchmark page, read once and handed to every system."""

    id: str
    url: str
    body: bytes
    truth: str


@dataclass
class SystemRun:
    """One system's outputs on every page, with its cost."""

    name: str
    outputs: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    """Page id → why the system gave no text (our Rejected reason, or "none" for trafilatura)."""
    cpu_ms: float = 0.0
    """CPU milliseconds per page, from the page's bytes (decoding included for every system)."""
    layers: dict[str, str] = field(default_factory=dict)
    """Page id → the extraction layer our body came from (jsonld, microdata, selectors, ...)."""
    counts: list[Counts] = field(default_factory=list)


Extractor = Callable[[AebPage], tuple[str, str | None, str | None]]
"""page → (text, refusal reason or None, body provenance layer or None)."""


def load_aeb(corpus: Path) -> list[AebPage]:
    truth = json.loads((corpus / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    return [AebPage(page_id, info["url"],
                    read_saved_page(corpus / "aeb" / "html" / f"{page_id}.html.gz"),
                    info.get("articleBody") or "")
            for page_id, info in sorted(truth.items())]


def jpnews_extractor(page: AebPage) -> tuple[str, str | None, str | None]:
    try:
        # A fixed crawl instant keeps runs identical; the body does not depend on it.
        article = extract_article(page.url, page.body, FALLBACK_CRAWLED_AT)
    except Rejected as refusal:
        return "", refusal.reason, None
    except UndecodablePage:
        return "", "undecodable", None
    return article.body, None, article.provenance.get("body")


def trafilatura_extractor(**options: bool) -> Extractor:
    """trafilatura.extract on the text our decoder makes of the bytes, so both see one text."""
    import trafilatura

    def run(page: AebPage) -> tuple[str, str | None, str | None]:
        try:
            text = decode_html(page.body)[0]
        except UndecodablePage:
            return "", "undecodable", None
        result = trafilatura.extract(text, **options)
        return (result, None, None) if result else ("", "none", None)

    return run


def run_system(name: str, extractor: Extractor, pages: list[AebPage]) -> SystemRun:
    """Every page through one system; the first page once before timing, to pay lazy imports."""
    extractor(pages[0])
    run = SystemRun(name)
    cpu = 0.0
    for page in pages:
        started = time.process_time()
        text, refusal, layer = extractor(page)
        cpu += time.process_time() - started
        run.outputs[page.id] = text
        if refusal is not None:
            run.refused[page.id] = refusal
        elif not tokenize(text):
            run.refused[page.id] = "empty"
        if layer:
            run.layers[page.id] = layer
        run.counts.append(shingle_counts(page.truth, text))
    run.cpu_ms = cpu * 1000 / len(pages)
    return run


def benchmark_systems(pages: list[AebPage], quick: bool) -> list[SystemRun]:
    systems: list[tuple[str, Extractor]] = [
        ("jpnews", jpnews_extractor),
        ("trafilatura (defaults)", trafilatura_extractor()),
    ]
    if not quick:
        systems += [
            ("trafilatura include_comments=False", trafilatura_extractor(include_comments=False)),
            ("trafilatura favor_precision", trafilatura_extractor(favor_precision=True)),
            ("trafilatura favor_recall", trafilatura_extractor(favor_recall=True)),
        ]
    return [run_system(name, extractor, pages) for name, extractor in systems]


def render_benchmark(pages: list[AebPage], runs: list[SystemRun], resamples: int) -> str:
    import trafilatura

    lines = [
        f"### Body text: article-extraction-benchmark pages (`aeb/`, {len(pages)} pages)",
        "",
        "Metric of scrapinghub/article-extraction-benchmark `evaluate.py` (commit 4a3bc979f76c), "
        "re-implemented: 4-token shingles of `\\w+` tokens, per-page TP/FP/FN normalised to one; "
        "precision averaged over pages with output, recall over pages with a reference; F1 of "
        "the two averages. 95% interval: percentile bootstrap over pages "
        f"({resamples} resamples). A refused page counts as empty output. trafilatura "
        f"{trafilatura.__version__} in the same process on the text our decoder makes of the "
        "bytes; CPU time per page includes decoding for every system.",
        "",
        "| system | F1 | 95% CI | precision | recall | accuracy (exact) | refused / empty | "
        "CPU ms/page |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        metrics = aggregate(run.counts)
        spread = bootstrap(run.counts, resamples) if resamples > 1 else {}
        ci = f"{spread['f1'][1]:.3f}-{spread['f1'][2]:.3f}" if spread else "-"
        exact = fmean(float(tokenize(run.outputs[p.id]) == tokenize(p.truth)) for p in pages)
        name = f"**{run.name}**" if run.name == "jpnews" else run.name
        lines.append(
            f"| {name} | {metrics['f1']:.3f} | {ci} | {metrics['precision']:.3f}"
            f"{_pm(spread, 'precision')} | {metrics['recall']:.3f}{_pm(spread, 'recall')} | "
            f"{exact:.3f} | {len(run.refused)} | {run.cpu_ms:.1f} |")
    ours = runs[0]
    if ours.layers or ours.refused:
        layers = ", ".join(f"{k} {v}" for k, v in Counter(ours.layers.values()).most_common())
        reasons = Counter(ours.refused.values())
        refused = ", ".join(f"{k} {v}" for k, v in reasons.most_common()) or "none"
        lines += ["", f"jpnews body layer: {layers or '-'}; refused or empty: {refused}."]
    return "\n".join(lines)


def _pm(spread: dict[str, tuple[float, ...]], key: str) -> str:
    return f" ± {spread[key][0]:.3f}" if spread else ""


def worst_pages(pages: list[AebPage], ours: SystemRun, theirs: SystemRun,
                n: int = 10) -> str:
    """The pages where our per-page F1 trails trafilatura's most: the parser's to-do list."""
    rows = []
    for page, mine, other in zip(pages, ours.counts, theirs.counts, strict=True):
        rows.append((page_f1(mine) - page_f1(other), page, page_f1(mine), page_f1(other)))
    rows.sort(key=lambda row: (row[0], row[1].id))
    lines = [f"Worst {n} pages for jpnews relative to {theirs.name} (per-page F1):", "",
             "| id | host | jpnews F1 | trafilatura F1 | jpnews words | reference words | "
             "jpnews body layer |",
             "|---|---|---:|---:|---:|---:|---|"]
    for _, page, mine, other in rows[:n]:
        host = urlsplit(page.url).hostname or "?"
        note = f"refused: {ours.refused[page.id]}" if page.id in ours.refused \
            else ours.layers.get(page.id, "-")
        lines.append(f"| {page.id} | {host} | {mine:.3f} | {other:.3f} | "
                     f"{len(tokenize(ours.outputs[page.id]))} | {len(tokenize(page.truth))} | "
                     f"{note} |")
    return "\n".join(lines)


# ==== Part 2: fields on the outlets' own pages ==================================================

_CJK = ("\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
        "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef")
_BRACKETS = "()\\[\\]=:"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}{_BRACKETS}])"
                      f"|(?<=[{_CJK}{_BRACKETS}]) (?=[{_CJK}])")


def normalize_text(text: str | None) -> str:
    """Text as compared: NFKC (full-width letters, digits and spaces), whitespace collapsed,
    and no space between two CJK characters, or a CJK character and a bracket or an equals
    sign or colon that NFKC made ASCII (furigana as "岡田 彰布 （ あきのぶ ） 監督", "令＝ 韓国"),
    where a space is layout, not a word break."""
    text = " ".join(unicodedata.normalize("NFKC", text or "").split())
    return _CJK_GAP.sub("", text)


@dataclass
class PageResult:
    """The field checks of one outlet page. A check is None when the page states no
    expectation for it (e.g. no "without" snippets on fundus pages)."""

    outlet: str
    """Corpus folder of the page, e.g. "jp/asahi_shimbun"."""
    page: str
    url: str
    refused: str | None = None
    title_ok: bool = False
    date_ok: bool | None = False
    authors_ok: bool | None = False
    paragraphs_expected: int = 0
    paragraphs_found: int = 0
    in_order: bool | None = False
    """None for trafilatura's evaldata, whose `with` snippets are not listed in page order."""
    extra_paragraphs: list[str] = field(default_factory=list)
    """Our body paragraphs that overlap no expected paragraph, where the expected paragraphs
    are the whole article text (fundus pages): titles, bylines, paywall prompts in the body."""
    without_checked: int = 0
    without_found: list[str] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    """(field, ours, expected) for every failing check, values truncated for display."""
    notes: list[str] = field(default_factory=list)

    @property
    def body_fraction(self) -> float:
        return self.paragraphs_found / self.paragraphs_expected if self.paragraphs_expected \
            else 1.0

    @property
    def ok(self) -> bool:
        return self.refused is None and not self.failures


@dataclass
class Expectation:
    """What one page should yield, whichever project's format it came in."""

    outlet: str
    page: str
    url: str
    html: Path
    crawled_at: datetime
    title: str
    published: datetime | date | None
    """An instant (fundus: to the minute) or a calendar day in Tokyo (trafilatura: day only)."""
    authors: list[str]
    paragraphs: list[str]
    without: list[str] | None
    ordered: bool
    """Whether `paragraphs` is the article text in page order (fundus) or a set (evaldata)."""


def _utc_naive_ok(value: str) -> datetime:
    stamp = datetime.fromisoformat(value.strip())
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _crawled_at(meta: dict | None) -> datetime:
    """The recorded crawl instant; for trafilatura's pages, the commit that added them (an upper
    bound of the crawl); else a fixed instant, so that runs are reproducible."""
    if meta and meta.get("crawl_date"):
        return _utc_naive_ok(meta["crawl_date"])
    added = ((meta or {}).get("html") or {}).get("added_in") or ""
    match = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", added)
    if match:
        return datetime.strptime(match.group(0), "%Y-%m-%d %H:%M:%S %z")
    return FALLBACK_CRAWLED_AT


# Where the expected output itself is wrong, the correction and its reason, per page. Kept
# small and explicit: everything else is compared with the other projects' values as they are.
CORRECTIONS: dict[str, tuple[dict[str, list[str]], str]] = {
    "TheJapanNews_2024_10_13": (
        {"authors": ["Takeo Maeda", "Tatsuya Tanoue"]},
        "fundus takes the CMS user (新間) from JSON-LD; the page prints the byline "
        "'By Takeo Maeda and Tatsuya Tanoue / Yomiuri Shimbun Staff Writers'"),
}


def fundus_expectations(corpus: Path) -> list[Expectation]:
    """jp/<publisher>/*.expected.json (fundus, parser version V1) with their *.meta.json."""
    found = []
    for expected_file in sorted(corpus.glob("jp/*/*.expected.json")):
        stem = expected_file.name[: -len(".expected.json")]
        meta = json.loads(expected_file.with_name(f"{stem}.meta.json").read_text("utf-8"))
        data = json.loads(expected_file.read_text("utf-8"))["V1"]
        body = data.get("body") or {}
        paragraphs = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            paragraphs += list(section.get("headline") or []) + list(section.get("paragraphs")
                                                                      or [])
        html = next(p for p in (expected_file.with_name(f"{stem}.html.gz"),
                                expected_file.with_name(f"{stem}.html")) if p.exists())
        published = data.get("publishing_date")
        found.append(Expectation(
            outlet=expected_file.parent.relative_to(corpus).as_posix(), page=stem,
            url=meta["url"], html=html, crawled_at=_crawled_at(meta),
            title=data.get("title") or "",
            published=datetime.fromisoformat(published) if published else None,
            authors=list(CORRECTIONS.get(stem, ({}, ""))[0].get("authors")
                         or data.get("authors") or []),
            paragraphs=paragraphs, without=None, ordered=True))
    return found


def evaldata_expectations(corpus: Path) -> list[Expectation]:
    """en/japantimes and tf/* pages in trafilatura's evaldata format."""
    found = []
    files = sorted(corpus.glob("en/japantimes/*.evaldata.json")) + \
        sorted(corpus.glob("tf/*/*.evaldata.json"))
    for evaldata in files:
        stem = evaldata.name[: -len(".evaldata.json")]
        meta_file = evaldata.with_name(f"{stem}.meta.json")
        meta = json.loads(meta_file.read_text("utf-8")) if meta_file.exists() else None
        for url, info in json.loads(evaldata.read_text("utf-8")).items():
            author = info.get("author") or []
            authors = [a.strip() for a in author.split(";")] if isinstance(author, str) \
                else list(author)
            day = info.get("date")
            found.append(Expectation(
                outlet=evaldata.parent.relative_to(corpus).as_posix(), page=stem, url=url,
                html=evaldata.with_name(info["file"]), crawled_at=_crawled_at(meta),
                title=info.get("title") or "",
                published=date.fromisoformat(day[:10]) if day else None,
                authors=[a for a in authors if a.strip()], paragraphs=list(info.get("with") or []),
                without=list(info.get("without") or []), ordered=False))
    return found


def _cut(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= TRUNCATE else text[: TRUNCATE - 1] + "…"


def check_page(expected: Expectation) -> PageResult:
    """Run our extraction on one page and compare every field the page has an answer for."""
    result = PageResult(expected.outlet, expected.page, expected.url,
                        paragraphs_expected=len([p for p in expected.paragraphs
                                                 if normalize_text(p)]),
                        without_checked=len(expected.without or []))
    try:
        article = extract_article(expected.url, read_saved_page(expected.html),
                                  expected.crawled_at)
    except Rejected as refusal:
        result.refused = f"{refusal.reason}: {refusal.detail}" if refusal.detail \
            else refusal.reason
    except UndecodablePage as error:
        result.refused = f"undecodable: {error}"
    if result.refused is not None:
        result.date_ok = None if expected.published is None else False
        result.authors_ok = False
        result.failures.append(("refused", result.refused, "an article"))
        return result
    _check_title(article, expected, result)
    _check_date(article, expected, result)
    _check_authors(article, expected, result)
    _check_body(article, expected, result)
    return result


def _check_title(article: Article, expected: Expectation, result: PageResult) -> None:
    result.title_ok = normalize_text(article.title) == normalize_text(expected.title)
    if not result.title_ok:
        result.failures.append(("title", _cut(article.title), _cut(expected.title)))


def _check_date(article: Article, expected: Expectation, result: PageResult) -> None:
    """To the minute as an instant (fundus); as the Tokyo calendar day (trafilatura gives a
    day). Ours is stored in UTC, so an instant that matches was read with the right offset."""
    ours = article.published_at
    shown = ours.astimezone(TOKYO).isoformat() if ours else "None"
    if expected.published is None:
        result.date_ok = None
        return
    if isinstance(expected.published, datetime):
        result.date_ok = ours is not None and \
            ours.replace(second=0, microsecond=0) == \
            expected.published.replace(second=0, microsecond=0)
        wanted = expected.published.isoformat()
    else:
        result.date_ok = ours is not None and ours.astimezone(TOKYO).date() == expected.published
        wanted = f"{expected.published.isoformat()} (Tokyo day)"
    if not result.date_ok:
        result.failures.append(("date", shown, wanted))


def _check_authors(article: Article, expected: Expectation, result: PageResult) -> None:
    """Equal as sets. Our schema keeps a wire agency in `credit`, not in `authors`, where
    trafilatura's test data writes it ("JIJI"): that case passes, with a note."""
    ours = {normalize_text(a) for a in article.authors}
    wanted = {normalize_text(a) for a in expected.authors}
    result.authors_ok = ours == wanted
    if not result.authors_ok and not ours and len(wanted) == 1:
        credit = {normalize_text(article.credit_agency), normalize_text(article.credit)}
        credit |= {c.lstrip("©(c) ").strip() for c in credit}
        if wanted & credit:
            result.authors_ok = True
            result.notes.append(f"author {expected.authors[0]!r} is our credit "
                                f"({article.credit!r}), as the schema wants")
    if not result.authors_ok:
        result.failures.append(("authors", _cut(article.authors), _cut(expected.authors)))


def _check_body(article: Article, expected: Expectation, result: PageResult) -> None:
    """Each expected paragraph is looked for from where the previous one ended; one found
    only further back breaks the order."""
    body = normalize_text(article.body)
    cursor, missing, behind = 0, [], []
    for paragraph in expected.paragraphs:
        wanted = normalize_text(paragraph)
        if not wanted:
            continue
        at = body.find(wanted, cursor)
        if at >= 0:
            result.paragraphs_found += 1
            cursor = at + len(wanted)
        elif wanted in body:
            result.paragraphs_found += 1
            behind.append(paragraph)
        else:
            missing.append(paragraph)
    result.in_order = not behind if expected.ordered else None
    if expected.ordered:
        whole = normalize_text(" ".join(expected.paragraphs))
        wanted_parts = [normalize_text(p) for p in expected.paragraphs if normalize_text(p)]
        for ours in article.body.split("\n\n"):
            part = normalize_text(ours)
            if part and part not in whole and not any(w in part for w in wanted_parts):
                result.extra_paragraphs.append(ours)
    result.without_found = [s for s in expected.without or []
                            if normalize_text(s) and normalize_text(s) in body]
    expected_chars = sum(len(normalize_text(p)) for p in expected.paragraphs)
    size = f"body {len(body)} chars, expected paragraphs {expected_chars} chars"
    for paragraph in missing:
        result.failures.append(("body: missing", size, _cut(paragraph)))
    for paragraph in behind if expected.ordered else []:
        result.failures.append(("body: out of order", size, _cut(paragraph)))
    for snippet in result.without_found:
        result.failures.append(("body: must not contain", _cut(_around(body, snippet)),
                                _cut(snippet)))


def _around(body: str, snippet: str) -> str:
    at = body.find(normalize_text(snippet))
    return "…" + body[max(0, at - 30): at + len(snippet) + 30] + "…"


def evaluate_outlet_pages(corpus: Path) -> list[PageResult]:
    """Field checks of every outlet page with expected output in the corpus, in a fixed order
    (fundus' jp/ pages, then trafilatura's evaldata pages)."""
    return [check_page(e) for e in fundus_expectations(corpus) + evaldata_expectations(corpus)]


def render_fields(results: list[PageResult]) -> str:
    by_outlet: dict[str, list[PageResult]] = {}
    for result in results:
        by_outlet.setdefault(result.outlet, []).append(result)
    lines = [
        f"### Fields on the outlets' own pages ({len(results)} pages)",
        "",
        "Expected values: fundus test data (`jp/`, title, authors, date to the minute, body "
        "paragraphs) and trafilatura's evaldata (`en/`, `tf/`: date as a day, `with` snippets "
        "as paragraphs, `without` snippets that must be absent). Text compared after NFKC, "
        "whitespace collapsing and dropping spaces between CJK characters; paragraphs looked "
        "for in order in our body (order only on fundus pages: evaldata snippets are not "
        "listed in page order). Extra paragraphs: our body paragraphs that overlap no expected "
        "one (fundus pages, whose expected paragraphs are the whole text). Crawl time: the "
        "page's recorded crawl date.",
        "",
        "| outlet | pages | title | date | authors | body paragraphs found | in order | "
        "without-violations | extra paragraphs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for outlet, group in [*by_outlet.items(), ("**all**", results)]:
        found = sum(r.paragraphs_found for r in group)
        wanted = sum(r.paragraphs_expected for r in group)
        checked = sum(r.without_checked for r in group)
        violations = sum(len(r.without_found) for r in group)
        fundus = [r for r in group if r.in_order is not None or r.refused]
        extra = sum(len(r.extra_paragraphs) for r in fundus) if fundus else "n/a"
        lines.append(
            f"| {outlet} | {len(group)} | {_share(r.title_ok for r in group)} | "
            f"{_share(r.date_ok for r in group)} | {_share(r.authors_ok for r in group)} | "
            f"{100 * found / wanted if wanted else 100:.0f}% ({found}/{wanted}) | "
            f"{_share(_ordered(r) for r in group)} | "
            f"{f'{violations}/{checked}' if checked else 'n/a'} | {extra} |")
    if CORRECTIONS:
        lines.append("")
        lines += [f"Expected value corrected for {page}: {', '.join(fields)} ({why})."
                  for page, (fields, why) in CORRECTIONS.items()]
    return "\n".join(lines)


def _ordered(result: PageResult) -> bool | None:
    return None if result.in_order is None else result.in_order and result.refused is None


def _share(values: Iterable[bool | None]) -> str:
    checked = [v for v in values if v is not None]
    return f"{sum(checked)}/{len(checked)}" if checked else "n/a"


def field_failures(results: list[PageResult]) -> str:
    """Every failing field of every page, ours against expected: the parser's to-do list."""
    lines = ["Failing fields per page (ours → expected):"]
    for result in results:
        if result.ok and not result.notes and not result.extra_paragraphs:
            continue
        lines.append(f"- {result.outlet}/{result.page} ({result.url})")
        for name, ours, wanted in result.failures:
            lines.append(f"    {name}: ours {ours!r} → expected {wanted!r}")
        for extra in result.extra_paragraphs:
            lines.append(f"    body: extra paragraph {_cut(extra)!r}")
        for note in result.notes:
            lines.append(f"    note: {note}")
    if len(lines) == 1:
        lines.append("- none")
    return "\n".join(lines)


# ==== report ====================================================================================

def write_section(report: str) -> None:
    results_file.write_section(SECTION, "Extraction quality (`bench/extraction.py`)", report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: JPNEWS_CORPUS)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="resamples (0: none)")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--quick", action="store_true",
                        help="only jpnews and default trafilatura on the benchmark pages")
    args = parser.parse_args()
    corpus = corpus_dir(args.corpus)
    if not (corpus / "aeb" / "ground-truth.json").exists():
        raise SystemExit(f"real-page corpus not found at {corpus} (set JPNEWS_CORPUS)")
    for noisy in ("trafilatura", "htmldate", "charset_normalizer", "courlan"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)

    started = time.perf_counter()
    pages = load_aeb(corpus)
    runs = benchmark_systems(pages, args.quick)
    benchmark = render_benchmark(pages, runs, args.bootstrap)
    results = evaluate_outlet_pages(corpus)
    fields = render_fields(results)
    elapsed = time.perf_counter() - started

    report = "\n".join([
        f"Corpus `{os.path.relpath(corpus, ROOT)}` (real pages, read in place); measured "
        f"{datetime.now(timezone.utc):%Y-%m-%d}, {elapsed:.0f} s wall for the whole run.",
        "", benchmark, "", fields])
    print(report)
    print()
    print(worst_pages(pages, runs[0], runs[1]))
    print()
    print(field_failures(results))
    if not args.no_write:
        write_section(report)
        print(f"\nwrote section <!-- {SECTION} --> of {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
