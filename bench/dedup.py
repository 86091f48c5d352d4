"""Story clustering (near-duplicate detection) through the real store: quality and scale.

Why through `ArticleStore.write`: the clustering decision is taken in Postgres, in the batch's
transaction (crawler/storage/stories.py), so the only honest measurement is one that goes
through `identity` and the store exactly as the crawler does, in shuffled order and in batches.

1. **Quality on a labelled set** (`jpnews_bench_dedup`). Seeds: the demo site's hand-written
   articles, seeded generated articles, the real pages of the shared corpus (read at run time,
   never copied) and invented Japanese stories (bench/dedup_data.py). Each seed is stored with
   3-5 wire-copy variants, each made by a named variant function (dateline added, removed or
   restyled, a credit or "Related coverage" footer, paragraphs merged or split, a paragraph
   dropped or added, small copy edits, full/half-width digits, a new title, combinations).
   Negatives: independent reports of the same event (same facts, different wording), short
   stories that share one long boilerplate block, and the seeds themselves (all unrelated).
   Scored pairwise: precision and recall of "in the same story" over all document pairs,
   recall per variant kind, and every false positive / false negative pair with its estimated
   similarity, so that the threshold and shingling can be tuned from the numbers.
2. **Scale** (`jpnews_bench_dedup_scale`). N generated articles (default 100,000; about 10 %
   near-copies of earlier ones, made with the same variant functions), generated per batch of
   500 from per-article seeds so that nothing holds the whole set. Reports articles per second
   (identity CPU and store wall time apart), the wall time of one near-duplicate lookup (a
   one-article batch) as the store grows, clusters, and peak RSS. The store's candidate query
   is planned from Postgres' statistics, which autovacuum gathers, and this server may run
   without it; so the load runs twice (`--stats both`): `server` (the server as configured,
   `jpnews_bench_dedup_scale`) and `maintained` (the bench runs ANALYZE / VACUUM at
   autovacuum's default thresholds between batches, `jpnews_bench_dedup_scale_maintained`).
   A load that cannot finish within `--budget` minutes stops at 50,000 articles, or where it
   is when the time is up, and says so.

    python bench/dedup.py [--articles 100000] [--quick] [--only quality|scale]
                          [--stats both|server|maintained] [--budget 19] [--no-write]

`--quick` loads 5,000 articles in part 2 (part 1 is unchanged). Both parts print markdown
tables; they are also written to the `dedup` section of bench/RESULTS.md. Databases are dropped
and re-created on the server `--server` (default postgresql://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import psycopg
from psycopg_pool import ConnectionPool

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, bench/ is sys.path[0], not the repository
    sys.path.insert(0, str(ROOT))

from bench import results as results_file  # noqa: E402
from bench.dedup_data import (  # noqa: E402
    BOILERPLATE_EN,
    BOILERPLATE_JA,
    DATELINE_CITIES_EN,
    DISTINCT_EN,
    DISTINCT_JA,
    EDITOR_NOTES_EN,
    EDITOR_NOTES_JA,
    EXTRA_SENTENCES_EN,
    EXTRA_SENTENCES_JA,
    JA_SEEDS,
    SUBSTITUTIONS_EN,
    SUBSTITUTIONS_JA,
)
from crawler.demo.articles import SAMPLE_ARTICLES  # noqa: E402
from crawler.demo.site import _generate_articles  # noqa: E402
from crawler.fingerprint import (  # noqa: E402
    TextIdentity,
    identity,
    is_japanese,
    normalized_tokens,
    shingles,
    similarity,
)
from crawler.items import Article  # noqa: E402
from crawler.normalize import content_hash, meta_hash  # noqa: E402
from crawler.storage.articles import ArticleStore  # noqa: E402
from crawler.storage.db import open_pool, prepare  # noqa: E402
from crawler.storage.stories import MAX_KEY_FANOUT, THRESHOLD  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "dedup"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
QUALITY_DB = "jpnews_bench_dedup"
SCALE_DB = "jpnews_bench_dedup_scale"
QUALITY_BATCH = 50
SCALE_BATCH = 500
LOOKUPS = 20
DUP_SHARE = 0.10
T0 = datetime(2025, 11, 3, 0, 0, tzinfo=timezone.utc)
TARGET_PRECISION, TARGET_RECALL = 0.99, 0.95
GENERATED_EN_SEEDS = 15
# Part 2 stops at this size when the whole run would exceed the time budget (see --budget).
FALLBACK_ARTICLES = 50_000
PROJECT_FROM = 10_000
"""Store size from which the time of the rest of a load is projected (earlier batches say
too little about how the cost grows)."""

OUTLETS_EN = ("japantoday", "japantimes", "nippon", "mainichi-en", "asahi-en", "nikkei-asia",
              "jiji-en", "nhk-world", "yomiuri-en", "sankei-en")
OUTLETS_JA = ("asahi", "mainichi", "yomiuri", "nikkei", "sankei", "tokyo-np", "chunichi",
              "nishinippon", "hokkaido-np", "kobe-np")


def corpus_dir(explicit: Path | None = None) -> Path:
    """The shared corpus: the argument, else `JPNEWS_CORPUS`, else `<repo>/../shared/corpus`."""
    if explicit is not None:
        return explicit
    return Path(os.environ.get("JPNEWS_CORPUS", ROOT.parent / "shared" / "corpus"))


# ==== Texts and the variant functions ==========================================================

@dataclass(frozen=True)
class Text:
    """An article's text as an outlet prints it. The dateline is kept apart from the first
    paragraph so that variants can add, drop or restyle it; `body` puts it back in front."""

    title: str
    paragraphs: tuple[str, ...]
    language: str
    dateline: str = ""
    place: str | None = None
    """Where the story happens, for a Japanese dateline (【長野共同】)."""

    @property
    def body(self) -> str:
        first, *rest = self.paragraphs
        return "\n\n".join([self.dateline + first, *rest])

    @property
    def joiner(self) -> str:
        return "" if self.language == "ja" else " "


@dataclass
class Context:
    """What variant functions may borrow: other stories' headlines, for "Related" footers."""

    titles: dict[str, list[str]]


Variant = Callable[[Text, random.Random, Context], Text]
_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
           "Nov.", "Dec.")
_EN_BOUNDARY = re.compile(r"[.!?][\"”]?\s+(?=[\"“A-Z0-9])")


def kyodo_dateline(text: Text, rng: random.Random) -> str:
    """The agency's own dateline, in the language's style."""
    if text.language == "ja":
        return f"【{text.place or '東京'}共同】"
    return f"{rng.choice(DATELINE_CITIES_EN)} (Kyodo) -- "


def dateline_toggle(text: Text, rng: random.Random, ctx: Context) -> Text:
    """Another outlet adds the agency's dateline, or drops the one the original has."""
    if text.dateline:
        return replace(text, dateline="")
    return replace(text, dateline=kyodo_dateline(text, rng))


def dateline_restyled(text: Text, rng: random.Random, ctx: Context) -> Text:
    """Another agency's or outlet's dateline style ("TOKYO, Nov. 22 (Jiji Press)--")."""
    if text.language == "ja":
        return replace(text, dateline=rng.choice((f"【{text.place or '東京'}＝時事】",
                                                 f"（{text.place or '東京'}＝共同）")))
    city = rng.choice(DATELINE_CITIES_EN)
    month, day = rng.choice(_MONTHS), rng.randint(1, 28)
    style = rng.choice((f"{city}, {month} {day} (Jiji Press)--", f"{city}, {month} {day} (AFP) - ",
                        f"{city.title()} -- "))
    return replace(text, dateline=style)


def credit_footer(text: Text, rng: random.Random, ctx: Context) -> Text:
    """A closing credit line: "(Kyodo)" / "（共同）"."""
    english = ("(Kyodo)", "==Kyodo", "(Jiji Press)")
    line = "（共同）" if text.language == "ja" else rng.choice(english)
    return replace(text, paragraphs=(*text.paragraphs, line))


def related_footer(text: Text, rng: random.Random, ctx: Context) -> Text:
    """A "Related coverage" block of two other stories' headlines at the end."""
    others = [t for t in ctx.titles[text.language] if t != text.title]
    picked = rng.sample(others, 2)
    head = "関連記事" if text.language == "ja" else "Related coverage:"
    return replace(text, paragraphs=(*text.paragraphs, head, *picked))


def paragraphs_merged(text: Text, rng: random.Random, ctx: Context) -> Text:
    """Consecutive paragraphs run together in pairs (a narrower or a wider layout)."""
    p = text.paragraphs
    merged = [text.joiner.join(p[i:i + 2]) for i in range(0, len(p), 2)]
    return replace(text, paragraphs=tuple(merged))


def _split(paragraph: str, language: str) -> tuple[str, str] | None:
    """A paragraph cut at the sentence boundary nearest its middle, or None if one sentence."""
    if language == "ja":
        cuts = [i + 1 for i, ch in enumerate(paragraph[:-1])
                if ch == "。" and paragraph[i + 1] not in "」）"]
    else:
        cuts = [m.end() for m in _EN_BOUNDARY.finditer(paragraph)]
    cuts = [c for c in cuts if 0 < c < len(paragraph)]
    if not cuts:
        return None
    cut = min(cuts, key=lambda c: abs(c - len(paragraph) / 2))
    return paragraph[:cut].strip(), paragraph[cut:].strip()


def paragraphs_split(text: Text, rng: random.Random, ctx: Context) -> Text:
    """Every paragraph of two or more sentences cut in two (short mobile-style paragraphs)."""
    out: list[str] = []
    for paragraph in text.paragraphs:
        parts = _split(paragraph, text.language)
        out.extend(parts if parts else (paragraph,))
    return replace(text, paragraphs=tuple(out))


def dropped_last(text: Text, rng: random.Random, ctx: Context) -> Text:
    """The last paragraph cut (an outlet trimming the story to length)."""
    return replace(text, paragraphs=text.paragraphs[:-1])


def dropped_middle(text: Text, rng: random.Random, ctx: Context) -> Text:
    """One paragraph from the middle cut."""
    drop = rng.randrange(1, len(text.paragraphs) - 1)
    return replace(text, paragraphs=text.paragraphs[:drop] + text.paragraphs[drop + 1:])


def editor_note_added(text: Text, rng: random.Random, ctx: Context) -> Text:
    """An editor's note left in the body (the worst case: the parser did not set it apart)."""
    notes = EDITOR_NOTES_JA if text.language == "ja" else EDITOR_NOTES_EN
    return replace(text, paragraphs=(*text.paragraphs, rng.choice(notes)))


def sentence_added(text: Text, rng: random.Random, ctx: Context) -> Text:
    """One background sentence appended to one paragraph."""
    extra = EXTRA_SENTENCES_JA if text.language == "ja" else EXTRA_SENTENCES_EN
    i = rng.randrange(len(text.paragraphs))
    p = list(text.paragraphs)
    p[i] = text.joiner.join((p[i], rng.choice(extra)))
    return replace(text, paragraphs=tuple(p))


def small_edits(text: Text, rng: random.Random, ctx: Context, edits: int = 3) -> Text:
    """A few words changed by a copy editor ("said" → "stated", "約" → "およそ")."""
    p = list(text.paragraphs)
    subs = list(SUBSTITUTIONS_JA if text.language == "ja" else SUBSTITUTIONS_EN)
    rng.shuffle(subs)
    done = 0
    for old, new in subs:
        where = [i for i, para in enumerate(p) if old in para]
        if not where or done == edits:
            continue
        i = rng.choice(where)
        p[i] = p[i].replace(old, new, 1)
        done += 1
    untouched = list(range(len(p)))
    while done < edits:  # too few stock phrases: drop a word / add a connective instead
        i = rng.randrange(len(p))
        if text.language == "ja":
            if not untouched:
                break
            i = untouched.pop(rng.randrange(len(untouched)))
            p[i] = rng.choice(("また、", "なお、", "一方、")) + p[i]
        else:
            words = p[i].split(" ")
            long = [k for k, w in enumerate(words) if k and len(w) >= 4]
            if long:
                del words[rng.choice(long)]
            p[i] = " ".join(words)
        done += 1
    return replace(text, paragraphs=tuple(p))


def title_changed(text: Text, rng: random.Random, ctx: Context) -> Text:
    """The outlet's own headline (identity ignores titles when there is a body)."""
    if text.language == "ja":
        title = rng.choice((f"【速報】{text.title}", f"{text.title}　共同通信",
                            f"（更新）{text.title}"))
    else:
        title = rng.choice((f"UPDATE: {text.title}", f"(LEAD) {text.title}",
                            f"{text.title} - Kyodo", text.title.upper()))
    return replace(text, title=title)


_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")


def digit_width(text: Text, rng: random.Random, ctx: Context) -> Text:
    """Full-width digits made half-width, or the reverse (Japanese outlets differ)."""
    full = any("０" <= ch <= "９" for ch in text.body)
    table = _HALF if full else _FULL
    return replace(text, title=text.title.translate(table),
                   paragraphs=tuple(p.translate(table) for p in text.paragraphs))


def combined(text: Text, rng: random.Random, ctx: Context) -> Text:
    """A typical copy on another site: its dateline style, a credit line, its own paragraphing
    and headline, all at once."""
    for step in (dateline_restyled, credit_footer, paragraphs_merged, title_changed):
        text = step(text, rng, ctx)
    return text


def trimmed_edited(text: Text, rng: random.Random, ctx: Context) -> Text:
    """The hardest common copy: last paragraph cut, a few words edited, a credit line added."""
    for step in (dropped_last, small_edits, credit_footer):
        text = step(text, rng, ctx)
    return text


VARIANTS: dict[str, Variant] = {
    "dateline_toggle": dateline_toggle, "dateline_restyled": dateline_restyled,
    "credit_footer": credit_footer, "related_footer": related_footer,
    "paragraphs_merged": paragraphs_merged, "paragraphs_split": paragraphs_split,
    "dropped_last": dropped_last, "dropped_middle": dropped_middle,
    "editor_note_added": editor_note_added, "sentence_added": sentence_added,
    "small_edits": small_edits, "title_changed": title_changed, "digit_width": digit_width,
    "combined": combined, "trimmed_edited": trimmed_edited,
}
KIND_ORDER = ("dateline_added", "dateline_removed",
              *[k for k in VARIANTS if k != "dateline_toggle"])


def applicable(kind: str, text: Text) -> bool:
    """Whether a variant makes sense for this text (a 2-paragraph story has no middle)."""
    n = len(text.paragraphs)
    if kind == "digit_width":
        return text.language == "ja" and bool(re.search(r"[0-9０-９]", text.body))
    if kind == "dropped_middle":
        return n >= 3
    if kind in ("dropped_last", "trimmed_edited", "paragraphs_merged"):
        return n >= 2
    if kind == "paragraphs_split":
        return any(_split(p, text.language) for p in text.paragraphs)
    return True


def make_variant(kind: str, text: Text, rng: random.Random, ctx: Context) -> tuple[str, Text]:
    """(reported kind, variant): the dateline toggle reports what it did."""
    made = VARIANTS[kind](text, rng, ctx)
    if kind == "dateline_toggle":
        kind = "dateline_removed" if text.dateline else "dateline_added"
    return kind, made


# ==== Part 1: the labelled set =================================================================

@dataclass
class Doc:
    """One labelled document: its story label, how it was made, and its stored identity."""

    label: str
    kind: str
    category: str
    """"copy" (a seed or its variant), "distinct" (an independent report), "boilerplate"."""
    text: Text
    outlet: str
    published_at: datetime
    url: str = ""
    ident: TextIdentity | None = field(default=None, repr=False)


@dataclass
class Seed:
    label: str
    text: Text
    outlet: str
    origin: str


def corpus_seeds(corpus: Path) -> tuple[list[Seed], list[str]]:
    """Seeds from the real pages' expected bodies (summary + section headlines + paragraphs).
    Pages whose bodies are identical (Nikkei crawled twice) are one seed."""
    notes: list[str] = []
    folder = corpus / "jp"
    if not folder.is_dir():
        return [], [f"corpus `{folder}` absent: no real-page seeds"]
    seeds: list[Seed] = []
    seen: dict[tuple[str, ...], str] = {}
    for path in sorted(folder.glob("*/*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))["V1"]
        body = data["body"]
        paragraphs = [*body.get("summary", [])]
        for section in body.get("sections", []):
            paragraphs += [*section.get("headline", []), *section.get("paragraphs", [])]
        paragraphs = tuple(p.strip() for p in paragraphs if p.strip())
        name = path.name.removesuffix(".expected.json")
        if paragraphs in seen:
            notes.append(f"corpus {name} has the same body as {seen[paragraphs]}: one seed")
            continue
        seen[paragraphs] = name
        language = "ja" if is_japanese("".join(paragraphs)) else "en"
        seeds.append(Seed(f"corpus:{name}", Text(data["title"], paragraphs, language),
                          path.parent.name, "corpus"))
    return seeds, notes


def build_seeds(corpus: Path, rng: random.Random) -> tuple[list[Seed], list[str]]:
    """English and Japanese seeds; about half the agency originals carry a dateline."""
    seeds: list[Seed] = []
    for a in SAMPLE_ARTICLES:
        if a.kind == "not-article":  # the comment guidelines page: not a news story
            continue
        seeds.append(Seed(f"demo:{a.slug[:40]}", Text(a.title, a.paragraphs, "en"), "kyodo",
                          "demo"))
    for a in _generate_articles(GENERATED_EN_SEEDS, random.Random(rng.random())):
        seeds.append(Seed(f"gen:{a.slug[:40]}", Text(a.title, a.paragraphs, "en"), "kyodo",
                          "generated"))
    found, notes = corpus_seeds(corpus)
    seeds += found
    for i, s in enumerate(JA_SEEDS):
        seeds.append(Seed(f"ja:{i}:{s.title[:12]}", Text(s.title, s.paragraphs, "ja",
                                                        place=s.place), "kyodo", "invented"))
    for seed in seeds:
        if seed.origin in ("demo", "generated", "invented") and rng.random() < 0.5:
            seed.text = replace(seed.text, dateline=kyodo_dateline(seed.text, rng))
    return seeds, notes


def labelled_set(corpus: Path, seed: int) -> tuple[list[Doc], list[Seed], list[str]]:
    """Every document of part 1, in generation order (shuffled later, at load time)."""
    rng = random.Random(seed)
    seeds, notes = build_seeds(corpus, rng)
    ctx = Context({lang: [s.text.title for s in seeds if s.text.language == lang]
                   for lang in ("en", "ja")})
    docs: list[Doc] = []
    used: Counter[str] = Counter()
    for n, s in enumerate(seeds):
        base = T0 + timedelta(hours=3 * n)
        docs.append(Doc(s.label, "original", "copy", s.text, s.outlet, base))
        kinds = [k for k in VARIANTS if k != "digit_width" or s.text.language == "ja"]
        # Least-used kinds first (random among ties), so every kind gets a fair number of cases.
        kinds.sort(key=lambda k: (used[k], rng.random()))
        chosen = [k for k in kinds if applicable(k, s.text)][:rng.randint(3, 5)]
        outlets = OUTLETS_JA if s.text.language == "ja" else OUTLETS_EN
        for kind in chosen:
            used[kind] += 1
            reported, text = make_variant(kind, s.text, rng, ctx)
            docs.append(Doc(s.label, reported, "copy", text, rng.choice(outlets),
                            base + timedelta(minutes=rng.randint(5, 720))))
    events = [("en", p) for p in DISTINCT_EN] + [("ja", p) for p in DISTINCT_JA]
    for n, (lang, pair) in enumerate(events):
        outlets = OUTLETS_JA if lang == "ja" else OUTLETS_EN
        for side, story in zip("ab", pair, strict=True):
            docs.append(Doc(f"distinct:{n}:{side}", "distinct_report", "distinct",
                            Text(story.title, story.paragraphs, lang), rng.choice(outlets),
                            T0 + timedelta(days=20, hours=n, minutes=rng.randint(0, 90))))
    groups = [("en", g) for g in BOILERPLATE_EN] + [("ja", g) for g in BOILERPLATE_JA]
    for n, (lang, (block, stories)) in enumerate(groups):
        outlets = OUTLETS_JA if lang == "ja" else OUTLETS_EN
        for side, story in zip("ab", stories, strict=True):
            docs.append(Doc(f"boilerplate:{n}:{side}", "boilerplate_story", "boilerplate",
                            Text(story.title, (*story.paragraphs, block), lang),
                            rng.choice(outlets),
                            T0 + timedelta(days=25, hours=n, minutes=rng.randint(0, 600))))
    return docs, seeds, notes


def to_article(url: str, source: str, text: Text, published: datetime,
               ident: TextIdentity) -> Article:
    """An Article as the pipeline would hand it to the store: hashes and identity set."""
    body = text.body
    article = Article(
        url=url, canonical_url=url, source=source, source_name=source, source_group="bench",
        title=text.title, body=body, summary=None, published_at=published, modified_at=None,
        credit=None, credit_agency=None, authors=[], section=None, tags=[],
        language=text.language, editor_note=None, image_url=None,
        crawled_at=published + timedelta(minutes=30),
        content_hash=content_hash(text.title, body, None))
    article.meta_hash = meta_hash(article)
    article.text_fingerprint, article.minhash, article.lsh_bands = (
        ident.fingerprint, ident.signature, ident.bands)
    return article


def fresh_database(server: str, name: str) -> str:
    """Drop and create `name` on the server, migrate it; returns its URL."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return prepare(f"{server}/{name}")


@dataclass
class QualityResult:
    docs: list[Doc]
    story: dict[str, int]
    sims: np.ndarray
    notes: list[str]
    seeds: list[Seed]
    load_seconds: float


def run_quality(server: str, corpus: Path, seed: int) -> QualityResult:
    """Load the labelled set through identity + the store, shuffled, in batches of 50."""
    docs, seeds, notes = labelled_set(corpus, seed)
    counters: Counter[str] = Counter()
    for doc in docs:
        counters[doc.outlet] += 1
        doc.url = f"https://bench.example/{doc.outlet}/{counters[doc.outlet]}"
        doc.ident = identity(doc.text.title, doc.text.body)
    order = list(docs)
    random.Random(seed + 1).shuffle(order)
    url = fresh_database(server, QUALITY_DB)
    pool = open_pool(url)
    started = time.perf_counter()
    try:
        store = ArticleStore(pool)
        for i in range(0, len(order), QUALITY_BATCH):
            store.write([to_article(d.url, d.outlet, d.text, d.published_at, d.ident)
                         for d in order[i:i + QUALITY_BATCH] if d.ident])
        elapsed = time.perf_counter() - started
        with pool.connection() as conn:
            story = {u: s for u, s in conn.execute("SELECT canonical_url, story_id FROM articles")}
    finally:
        pool.close()
    sims = np.ones((len(docs), len(docs)))
    for i, a in enumerate(docs):
        for j in range(i + 1, len(docs)):
            assert a.ident and docs[j].ident
            sims[i, j] = sims[j, i] = similarity(a.ident.signature, docs[j].ident.signature)
    return QualityResult(docs, story, sims, notes, seeds, elapsed)


def exact_jaccard(a: Text, b: Text) -> float:
    """The true Jaccard of the two shingle sets, next to MinHash's estimate of it."""
    sets = []
    for t in (a, b):
        tokens = normalized_tokens(t.body)
        sets.append(set(shingles(tokens, is_japanese(t.body))))
    union = len(sets[0] | sets[1])
    return len(sets[0] & sets[1]) / union if union else 0.0


def shared_bands(a: Doc, b: Doc) -> int:
    assert a.ident and b.ident
    return sum(x == y for x, y in zip(a.ident.bands, b.ident.bands, strict=True))


def ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def fmt(value: float, digits: int = 3) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"  # NaN check without math


def quality_report(q: QualityResult) -> tuple[str, str, dict[str, float]]:
    """(summary tables, every false positive / negative pair, headline figures)."""
    docs, sims = q.docs, q.sims
    n = len(docs)
    pred = [q.story[d.url] for d in docs]
    tp = fp = fn = 0
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    fps: list[tuple[int, int]] = []
    fns: list[tuple[int, int]] = []
    negatives: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    involving: dict[str, Counter[str]] = defaultdict(Counter)
    for i in range(n):
        for j in range(i + 1, n):
            same_label = docs[i].label == docs[j].label
            same_story = pred[i] == pred[j]
            lang = docs[i].text.language if docs[i].text.language == docs[j].text.language \
                else "mixed"
            if same_label:
                tp += same_story
                fn += not same_story
                by_lang[lang]["tp" if same_story else "fn"] += 1
                for kind in {docs[i].kind, docs[j].kind} - {"original"}:
                    involving[kind]["pairs"] += 1
                    involving[kind]["hit"] += same_story
                if not same_story:
                    fns.append((i, j))
            else:
                fp += same_story
                by_lang[lang]["fp" if same_story else "tn"] += 1
                if same_story:
                    fps.append((i, j))
                if docs[i].category == docs[j].category == "distinct" and \
                        docs[i].label[:-1] == docs[j].label[:-1]:
                    category = "independent reports of one event"
                elif docs[i].category == docs[j].category == "boilerplate" and \
                        docs[i].label[:-1] == docs[j].label[:-1]:
                    category = "different stories, same boilerplate block"
                else:
                    category = "unrelated stories (all other pairs)"
                negatives[category].append((float(sims[i, j]), same_story))
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    positives = tp + fn
    languages = Counter(d.text.language for d in docs)
    kinds_by_lang = Counter((d.kind, d.text.language) for d in docs)
    seeds_by_lang = Counter(s.text.language for s in q.seeds)
    origins = Counter(s.origin for s in q.seeds)

    lines = [
        f"{n} documents ({languages['en']} English, {languages['ja']} Japanese): "
        f"{seeds_by_lang['en']} English and {seeds_by_lang['ja']} Japanese seeds "
        f"({origins['demo']} demo-site articles, {origins['generated']} generated, "
        f"{origins['corpus']} real corpus pages, {origins['invented']} invented Japanese) "
        f"with 3-5 wire-copy variants each, "
        f"{sum(d.category == 'distinct' for d in docs)} independent reports of "
        f"{sum(d.category == 'distinct' for d in docs) // 2} events, "
        f"{sum(d.category == 'boilerplate' for d in docs)} short stories in "
        f"{sum(d.category == 'boilerplate' for d in docs) // 2} pairs sharing a 60-word "
        f"boilerplate block. Loaded through `identity` + `ArticleStore.write` in shuffled order, "
        f"batches of {QUALITY_BATCH}, into a fresh database ({q.load_seconds:.1f} s). "
        f"Pairwise over all {n * (n - 1) // 2:,} document pairs ({positives:,} labelled "
        f"same-story). THRESHOLD = {THRESHOLD}; similarity = MinHash estimate "
        f"(`crawler.fingerprint.similarity`).",
        "",
        "| set | precision | recall | F1 | true pos. | false pos. | false neg. |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for lang in ("en", "ja"):
        c = by_lang[lang]
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"| {'English' if lang == 'en' else 'Japanese'} pairs | {fmt(p)} | "
                     f"{fmt(r)} | {fmt(f)} | {c['tp']} | {c['fp']} | {c['fn']} |")
    mixed = by_lang["mixed"]
    lines.append(f"| **all pairs** | **{fmt(precision)}** | **{fmt(recall)}** | **{fmt(f1)}** | "
                 f"{tp} | {fp} | {fn} |")
    verdict = "met" if precision >= TARGET_PRECISION and recall >= TARGET_RECALL else "MISSED"
    lines += ["", f"Targets precision ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL}: "
                  f"**{verdict}**. (English-Japanese pairs: {mixed['fp']} predicted together.)",
              "", "Recall per variant kind: a variant against its seed's original, and over "
                  "every same-story pair the kind takes part in (variant against variant too); "
                  "similarity of the variant to its original.", "",
              "| variant kind | n (en/ja) | recall vs original | recall, all its pairs | "
              "min similarity | median similarity |", "|---|---:|---:|---:|---:|---:|"]
    original = {d.label: i for i, d in enumerate(docs) if d.kind == "original"}
    kind_rows = []
    for kind in KIND_ORDER:
        members = [i for i, d in enumerate(docs) if d.kind == kind]
        if not members:
            continue
        hits = sum(pred[i] == pred[original[docs[i].label]] for i in members)
        to_orig = [float(sims[i, original[docs[i].label]]) for i in members]
        inv = involving[kind]
        kind_rows.append((kind, hits / len(members)))
        lines.append(
            f"| {kind} | {len(members)} ({kinds_by_lang[(kind, 'en')]}/"
            f"{kinds_by_lang[(kind, 'ja')]}) | {fmt(hits / len(members))} ({hits}/{len(members)})"
            f" | {fmt(ratio(inv['hit'], inv['pairs']))} ({inv['hit']}/{inv['pairs']}) | "
            f"{min(to_orig):.3f} | {statistics.median(to_orig):.3f} |")
    lines += ["", "Negatives: pairs that must stay apart.", "",
              "| negative pairs | pairs | predicted same story | max similarity | "
              "median similarity |", "|---|---:|---:|---:|---:|"]
    for category in ("independent reports of one event",
                     "different stories, same boilerplate block",
                     "unrelated stories (all other pairs)"):
        values = negatives.get(category, [])
        if not values:
            continue
        lines.append(f"| {category} | {len(values):,} | {sum(s for _, s in values)} | "
                     f"{max(v for v, _ in values):.3f} | "
                     f"{statistics.median(v for v, _ in values):.3f} |")

    def pair_line(i: int, j: int) -> str:
        a, b = docs[i], docs[j]
        sim = float(sims[i, j])
        if a.label == b.label:
            why = ("below threshold" if sim < THRESHOLD else
                   "no shared LSH band" if not shared_bands(a, b) else
                   "each above threshold but attached to different stories (arrival order)")
        else:
            why = "above threshold" if sim >= THRESHOLD else "joined via a third document"
        return (f"| {a.label} | {a.kind} | {b.label} | {b.kind} | {sim:.3f} | "
                f"{exact_jaccard(a.text, b.text):.3f} | {shared_bands(a, b)} | {why} |")

    head = ["| label A | kind A | label B | kind B | similarity (MinHash) | exact Jaccard | "
            "shared bands | why |", "|---|---|---|---|---:|---:|---:|---|"]
    detail = []
    for name, pairs, sign in (("False positives", fps, -1), ("False negatives", fns, 1)):
        if not pairs:
            detail += ["", f"{name}: none."]
            continue
        pairs = sorted(pairs, key=lambda p, sign=sign: sign * float(sims[p]))
        detail += ["", f"{name} ({len(pairs)} pairs):", "", *head,
                   *(pair_line(i, j) for i, j in pairs)]
    if q.notes:
        lines += ["", "Notes: " + "; ".join(q.notes) + "."]
    figures = {"precision": precision, "recall": recall, "f1": f1, "docs": n,
               "pairs": n * (n - 1) // 2, "positives": positives, "fp": fp, "fn": fn}
    figures.update({f"recall:{k}": v for k, v in kind_rows})
    return "\n".join(lines), "\n".join(detail).strip(), figures


# ==== Part 2: scale ============================================================================

_DUP_KINDS = tuple(k for k in VARIANTS if k != "digit_width")
_SCALE_TITLES = Context({"en": [a.title for a in SAMPLE_ARTICLES], "ja": []})


def generated_text(seed: int, i: int) -> Text:
    """Article i of the stream's originals, regenerated on demand from its own seed: the
    stream never has to keep earlier articles to copy them."""
    a = _generate_articles(1, random.Random(f"{seed}:gen:{i}"))[0]
    return Text(a.title, a.paragraphs, "en")


def is_dup(seed: int, i: int) -> bool:
    return i >= 50 and random.Random(f"{seed}:dup:{i}").random() < DUP_SHARE


def root_of(seed: int, i: int) -> int:
    """The original a (possibly chained) near-copy descends from."""
    while is_dup(seed, i):
        i = random.Random(f"{seed}:src:{i}").randrange(i)
    return i


def near_copy(seed: int, root: int, rng: random.Random) -> tuple[str, Text]:
    """A near-copy of original `root`, by one randomly chosen variant function."""
    text = generated_text(seed, root)
    kinds = [k for k in _DUP_KINDS if applicable(k, text)]
    return make_variant(rng.choice(kinds), text, rng, _SCALE_TITLES)


def stream_text(seed: int, i: int) -> Text:
    """Article i of the stream: an original, or a near-copy of an earlier original."""
    if not is_dup(seed, i):
        return generated_text(seed, i)
    return near_copy(seed, root_of(seed, i), random.Random(f"{seed}:var:{i}"))[1]


@dataclass
class Checkpoint:
    stored: int
    lookups_ms: list[float]
    hits: int
    joined_root: int
    batch_ms_per_article: float


MODES = {
    "server": "as the server is configured (autovacuum {autovacuum}); the bench runs no "
              "maintenance, so any ANALYZE is the store's own",
    "maintained": "the bench runs what autovacuum would at its default thresholds, between "
                  "batches: ANALYZE after 50 + 10 % row changes, VACUUM after 1,000 + 20 % "
                  "inserts (time kept apart, not in the write figures)",
}


@dataclass
class ScaleResult:
    mode: str
    requested: int
    loaded: int
    capped_note: str | None
    gen_s: float
    identity_cpu_s: float
    identity_wall_s: float
    write_s: float
    slowest_batch_s: float
    maintenance_s: float
    wall_s: float
    checkpoints: list[Checkpoint]
    stories: int
    multi_stories: int
    dups: int
    dups_joined_root: int
    originals: int
    originals_merged: int
    hot_keys: int
    db_mb: float
    peak_rss_mb: float
    autovacuum: str
    analyzed: str
    """How often lsh_bands got planner statistics: by ANALYZE commands, by autovacuum."""
    missed: list[tuple[int, str, float, float, int]]
    """Near-copies not in their original's story: (article, variant kind, similarity, exact
    Jaccard, LSH bands shared with the original)."""


def checkpoints_for(n: int) -> list[int]:
    """Store sizes at which lookups are timed: 10k and 100k as asked, plus steps between."""
    marks = {1_000, 10_000, 50_000, 100_000, n}
    return sorted(m for m in marks if m <= n and m % SCALE_BATCH == 0) or [n]


def lookups(store: ArticleStore, pool: ConnectionPool, seed: int, stored: int,
            batch_ms: float) -> Checkpoint:
    """Time LOOKUPS one-article writes, each a new near-copy of a random stored original."""
    rng = random.Random(f"{seed}:lookup:{stored}")
    times, hits, pairs = [], 0, []
    for k in range(LOOKUPS):
        root = root_of(seed, rng.randrange(stored))
        _, text = near_copy(seed, root, rng)
        url = f"https://bench.example/lookup/{stored}/{k}"
        article = to_article(url, "lookup", text, T0 + timedelta(days=400), identity(
            text.title, text.body))
        started = time.perf_counter()
        result = store.write([article])
        times.append((time.perf_counter() - started) * 1000)
        hits += result.duplicates
        pairs.append((url, f"https://bench.example/s/{root}"))
    with pool.connection() as conn:
        story = dict(conn.execute("SELECT canonical_url, story_id FROM articles "
                                  "WHERE canonical_url = ANY(%s)",
                                  ([u for p in pairs for u in p],)).fetchall())
    joined = sum(story.get(a) == story.get(b) for a, b in pairs)
    return Checkpoint(stored, times, hits, joined, batch_ms)


class Maintenance:
    """Autovacuum's default trigger rules, applied by hand: this server may run without
    autovacuum, and the store's queries are planned from the statistics it would gather."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)
        self.analyzed_at = self.vacuumed_at = 0
        self.seconds = 0.0

    def after_batch(self, rows: int) -> None:
        started = time.perf_counter()
        if rows - self.vacuumed_at >= 1000 + 0.2 * self.vacuumed_at:
            self.conn.execute("VACUUM (ANALYZE)")
            self.vacuumed_at = self.analyzed_at = rows
        elif rows - self.analyzed_at >= 50 + 0.1 * self.analyzed_at:
            self.conn.execute("ANALYZE")
            self.analyzed_at = rows
        self.seconds += time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


def projected_rest(batch_s: list[float], left: int) -> float:
    """Seconds the remaining `left` articles should take. A batch's cost may grow with the
    store, so it is extrapolated along the line through the last ten batches and the ten
    that ended at half the current size (never assumed to shrink)."""
    done = len(batch_s)
    now = statistics.fmean(batch_s[-10:])
    half = statistics.fmean(batch_s[max(0, done // 2 - 10):max(1, done // 2)])
    slope = max(0.0, (now - half) / (done - done // 2))  # seconds per batch, per batch stored
    batches = left / SCALE_BATCH
    return batches * now + slope * batches * batches / 2


def run_scale(server: str, n: int, seed: int, deadline: float, mode: str) -> ScaleResult:
    """Stream n articles into a fresh database in batches of 500, timing each stage.

    The time budget is checked after every batch from 10,000 stored articles on (see
    `projected_rest`). If the whole load would miss the deadline it stops at 50,000 articles;
    if the deadline passes anyway, it stops where it is. Either is reported.
    """
    name = SCALE_DB if mode == "server" else f"{SCALE_DB}_{mode}"
    url = fresh_database(server, name)
    pool = open_pool(url)
    store = ArticleStore(pool)
    maintenance = Maintenance(url) if mode == "maintained" else None
    marks = checkpoints_for(n)
    gen_s = id_cpu = id_wall = write_s = slowest = 0.0
    started = time.perf_counter()
    recent: list[float] = []
    batch_s: list[float] = []
    points: list[Checkpoint] = []
    note = None
    target = n
    stored = 0
    try:
        while stored < target:
            batch_started = t = time.perf_counter()
            count = min(SCALE_BATCH, target - stored)
            texts = [(i, stream_text(seed, i)) for i in range(stored, stored + count)]
            gen_s += time.perf_counter() - t
            t, c = time.perf_counter(), time.thread_time()
            idents = [identity(x.title, x.body) for _, x in texts]
            id_cpu += time.thread_time() - c
            id_wall += time.perf_counter() - t
            t = time.perf_counter()
            batch = [to_article(f"https://bench.example/s/{i}", f"outlet{i % 17}", x,
                                T0 + timedelta(minutes=i), ident)
                     for (i, x), ident in zip(texts, idents, strict=True)]
            gen_s += time.perf_counter() - t
            t = time.perf_counter()
            store.write(batch)
            elapsed = time.perf_counter() - t
            write_s += elapsed
            slowest = max(slowest, elapsed)
            recent = [*recent[-9:], elapsed * 1000 / count]
            stored += count
            if maintenance:
                maintenance.after_batch(stored)
            batch_s.append(time.perf_counter() - batch_started)
            if stored in marks:
                points.append(lookups(store, pool, seed, stored, statistics.fmean(recent)))
                print(f"  [{mode}] {stored:>7,} stored, {time.perf_counter() - started:6.1f} s; "
                      f"lookup median {statistics.median(points[-1].lookups_ms):.1f} ms",
                      flush=True)
            now = time.perf_counter()
            if stored >= PROJECT_FROM and target > FALLBACK_ARTICLES >= stored and \
                    now + projected_rest(batch_s, target - stored) > deadline:
                target = FALLBACK_ARTICLES
                marks = checkpoints_for(target)
                note = (f"{n:,} articles would not have finished within the time budget "
                        f"(projected at {stored:,} stored): stopped at {target:,}")
                print(f"  [{mode}] {note}", flush=True)
            elif now > deadline and stored < target:
                note = f"time budget exhausted: stopped at {stored:,} of {n:,} articles"
                print(f"  [{mode}] {note}", flush=True)
                break
        wall = time.perf_counter() - started
        with pool.connection() as conn:
            stories, multi = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE members > 1) FROM stories").fetchone()
            rows = conn.execute(
                "SELECT split_part(canonical_url, '/', 5)::int, story_id FROM articles "
                "WHERE canonical_url LIKE %s", ("https://bench.example/s/%",)).fetchall()
            hot = conn.execute("SELECT count(*) FROM (SELECT 1 FROM lsh_bands GROUP BY band, key "
                               "HAVING count(*) > %s) h", (MAX_KEY_FANOUT,)).fetchone()[0]
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
            analyzed = conn.execute(
                "SELECT analyze_count, autoanalyze_count FROM pg_stat_user_tables "
                "WHERE relname = 'lsh_bands'").fetchone()
    finally:
        pool.close()
        if maintenance:
            maintenance.close()
    story_of = dict(rows)
    del rows
    roots_in: dict[int, set[int]] = defaultdict(set)
    dups = joined = originals = 0
    missed: list[tuple[int, str, float, float, int]] = []
    for i, story in story_of.items():
        if is_dup(seed, i):
            dups += 1
            root = root_of(seed, i)
            if story == story_of.get(root):
                joined += 1
                continue
            kind, text = near_copy(seed, root, random.Random(f"{seed}:var:{i}"))
            original = generated_text(seed, root)
            a, b = identity(text.title, text.body), identity(original.title, original.body)
            shared = sum(x == y for x, y in zip(a.bands, b.bands, strict=True))
            missed.append((i, kind, similarity(a.signature, b.signature),
                           exact_jaccard(text, original), shared))
        else:
            originals += 1
            roots_in[story].add(i)
    merged = sum(len(r) for r in roots_in.values() if len(r) > 1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return ScaleResult(mode, n, stored, note, gen_s, id_cpu, id_wall, write_s, slowest,
                       maintenance.seconds if maintenance else 0.0, wall, points, stories, multi,
                       dups, joined, originals, merged, hot, size / 2**20, rss, autovacuum,
                       f"{analyzed[0]} by ANALYZE, {analyzed[1]} by autovacuum", sorted(missed))


def scale_report(results: list[ScaleResult]) -> str:
    """Markdown tables of part 2, one row per statistics mode."""
    first = results[0]
    lines = [
        f"{first.requested:,} generated English articles per run "
        f"(`crawler.demo.site._generate_articles`, one seed per article, generated per batch), "
        f"{first.dups:,} of them near-copies of earlier ones made by the variant functions of "
        f"part 1; `identity` + `ArticleStore.write` in batches of {SCALE_BATCH} into a fresh "
        f"database, one process, {os.cpu_count()} cores shared with Postgres. The store's "
        f"candidate query is planned from Postgres' statistics, so the load runs in two modes:",
        "",
    ]
    lines += [f"* **{r.mode}**: {MODES[r.mode].format(autovacuum=r.autovacuum)}; lsh_bands "
              f"got statistics {r.analyzed}." for r in results]
    for r in results:
        if r.capped_note:
            lines += ["", f"**{r.mode}: {r.capped_note}.**"]
    lines += [
        "", "| mode | articles | end to end (identity + write) | identity only | write only | "
        "identity CPU | store write wall | slowest batch write | maintenance | "
        "generation (not counted) | total wall | peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results:
        e2e = s.loaded / (s.identity_wall_s + s.write_s)
        lines.append(
            f"| {s.mode} | {s.loaded:,} | **{e2e:,.0f} articles/s** | "
            f"{s.loaded / s.identity_wall_s:,.0f}/s | {s.loaded / s.write_s:,.0f}/s | "
            f"{s.identity_cpu_s:.1f} s ({s.identity_cpu_s * 1000 / s.loaded:.2f} ms/article) | "
            f"{s.write_s:.1f} s ({s.write_s * 1000 / s.loaded:.2f} ms/article) | "
            f"{s.slowest_batch_s:.1f} s | {s.maintenance_s:.1f} s | {s.gen_s:.1f} s | "
            f"{s.wall_s:.1f} s | {s.peak_rss_mb:.0f} MB |")
    lines += [
        "", f"Near-duplicate lookup: wall time of `ArticleStore.write` for a batch of one new "
        f"article that is a near-copy of a stored one, {LOOKUPS} lookups when the store reaches "
        f"each size; \"joined\" = the copy landed in its original's story. Peak RSS is the "
        f"whole process so far.", "",
        "| mode | stored articles | lookup median | p90 | min | max | joined | batch write, "
        "ms/article (last 10 batches) |", "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results:
        for p in s.checkpoints:
            ms = sorted(p.lookups_ms)
            lines.append(
                f"| {s.mode} | {p.stored:,} | **{statistics.median(ms):.1f} ms** | "
                f"{ms[int(0.9 * (len(ms) - 1))]:.1f} ms | {ms[0]:.1f} ms | {ms[-1]:.1f} ms | "
                f"{p.joined_root}/{len(ms)} | {p.batch_ms_per_article:.2f} |")
    for s in results:
        base = [p for p in s.checkpoints if p.stored >= 10_000] or s.checkpoints
        low, high = base[0], s.checkpoints[-1]
        growth = statistics.median(high.lookups_ms) / statistics.median(low.lookups_ms)
        verdict = "flat" if growth <= 2 else "**NOT flat**"
        lines.append(f"\n{s.mode}: lookup median {growth:.1f}x from {low.stored:,} to "
                     f"{high.stored:,} stored articles: {verdict}.")
    lines += ["", "| mode | stored | stories | with 2+ members | expected (originals) | "
                  "near-copies in their original's story | originals merged together | "
                  f"band keys over the fan-out cap ({MAX_KEY_FANOUT}) | database |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in results:
        lines.append(
            f"| {s.mode} | {s.loaded + LOOKUPS * len(s.checkpoints):,} | {s.stories:,} | "
            f"{s.multi_stories:,} | {s.originals:,} | {s.dups_joined_root:,}/{s.dups:,} "
            f"({ratio(s.dups_joined_root, s.dups):.1%}) | {s.originals_merged:,} | "
            f"{s.hot_keys:,} | {s.db_mb:,.0f} MB |")
    for s in results:
        if s.missed:
            lines.append(f"\n{s.mode}: near-copies outside their original's story "
                         "(article: variant kind, MinHash similarity to the original, exact "
                         "Jaccard, LSH bands shared): "
                         + "; ".join(f"{i}: {k}, {sim:.3f}, {jac:.3f}, {bands}"
                                     for i, k, sim, jac, bands in s.missed) + ".")
    return "\n".join(lines)


# ==== Output ===================================================================================

def write_section(report: str) -> None:
    results_file.write_section(
        SECTION, "Deduplication and story clusters (`bench/dedup.py`)", report)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="part 2 size")
    parser.add_argument("--quick", action="store_true", help="part 2 with 5,000 articles")
    parser.add_argument("--only", choices=("quality", "scale"), help="run one part")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: JPNEWS_CORPUS)")
    parser.add_argument("--server", default=os.environ.get("JPNEWS_BENCH_SERVER", DEFAULT_SERVER),
                        help="Postgres server URL without a database name")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--budget", type=float, default=19.0,
                        help="minutes for the whole run: a part 2 load that would not finish in "
                             "time stops at 50k, or where it is when time runs out")
    parser.add_argument("--stats", choices=("both", "maintained", "server"), default="both",
                        help="part 2 with the bench doing autovacuum's work, as the server "
                             "is, or both (default)")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)
    n = 5_000 if args.quick else args.articles
    started = time.perf_counter()
    deadline = started + args.budget * 60
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    sections = [f"Measured {stamp} on {os.cpu_count()} cores, Postgres on the same machine."]
    if args.only != "scale":
        print("Part 1: quality on a labelled set", flush=True)
        quality = run_quality(args.server, corpus_dir(args.corpus), args.seed)
        table, detail, figures = quality_report(quality)
        print(table + "\n\n" + detail, flush=True)
        errors = int(figures["fp"] + figures["fn"])
        shown = detail if errors <= 40 else (
            f"{int(figures['fp'])} false positive and {int(figures['fn'])} false negative pairs: "
            "run `python bench/dedup.py` for the list.")
        sections += ["", "### Quality: labelled wire copies and negatives", "", table, "", shown]
    if args.only != "quality":
        print(f"\nPart 2: scale, {n:,} articles", flush=True)
        modes = ("server", "maintained") if args.stats == "both" else (args.stats,)
        runs = [run_scale(args.server, n, args.seed, deadline, mode) for mode in modes]
        table = scale_report(runs)
        print(table, flush=True)
        sections += ["", "### Scale: streaming load and near-duplicate lookup", "", table]
    total = time.perf_counter() - started
    sections.append(f"\nWhole run: {total / 60:.1f} min wall.")
    print(f"\nWhole run: {total:.0f} s")
    if not args.no_write and args.only is None:
        write_section("\n".join(sections))
        print(f"wrote the {SECTION} section of {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
