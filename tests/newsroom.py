"""Invented articles built as the pipelines build them (normalised fields, text identity),
for tests that write through the store directly: the change feed, removals, deduplication."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.fingerprint import identity
from crawler.items import Article
from crawler.normalize import content_hash, meta_hash

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
STORIES = {
    "ferry": ["A ferry operator in Hiroshima said it would add evening sailings to three "
              "islands from next month, citing a rise in weekend visitors.",
              "The company said fares would stay the same and that bookings open on Monday."],
    "orchard": ["Apple growers in Aomori began the harvest a week later than usual after a "
                "hot September slowed the colouring of the fruit, the prefecture said.",
                "Cooperatives expect a crop about five percent smaller than last year's."],
    "library": ["A city library in Sendai will stay open until ten at night on weekdays from "
                "April, answering requests from students preparing for examinations.",
                "The city said the longer hours would cost about 30 million yen a year."],
    "bridge": ["Repairs to a suspension bridge in Tokushima will close one lane for six weeks "
               "from Monday, the prefectural road office said.",
               "Buses will keep running but drivers were told to expect delays at rush hour."],
}


def article(slug: str, story: str | None = None, *, source: str = "japantoday",
            minutes: int = 0, title: str | None = None, extra: str = "",
            section: str | None = None) -> Article:
    """An article at https://<source>.example/<slug>, telling `story` (default: the slug)."""
    paragraphs = STORIES[story or slug]
    body = "\n\n".join(paragraphs) + (f"\n\n{extra}" if extra else "")
    title = title or f"{(story or slug).capitalize()} news"
    return built(f"https://{source}.example/news/{slug}", source, title, body,
                 published_at=T0 + timedelta(minutes=minutes),
                 crawled_at=T0 + timedelta(minutes=minutes), section=section)


def built(url: str, source: str, title: str, body: str, *, published_at: datetime,
          crawled_at: datetime, credit: str | None = None, language: str = "en",
          section: str | None = None) -> Article:
    """An article with the hashes and the text identity the normalise and dedup pipelines
    give it, ready for ArticleStore.write."""
    made = Article(url=url, canonical_url=url, source=source, source_name=source,
                   source_group="media-jepang", title=title, body=body, summary=None,
                   published_at=published_at, modified_at=None, credit=credit,
                   credit_agency=None, authors=[], section=section, tags=[],
                   language=language, editor_note=None, image_url=None, crawled_at=crawled_at,
                   content_hash=content_hash(title, body, None))
    made.meta_hash = meta_hash(made)
    text = identity(title, body)
    made.text_fingerprint, made.minhash, made.lsh_bands = (text.fingerprint, text.signature,
                                                           text.bands)
    return made
