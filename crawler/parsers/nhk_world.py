"""NHK World-Japan news: read from the public JSON API its pages are rendered from.

Not checked on a real response (none is available offline). Field names follow public clients
of the API: list `data` items with `id` ("20250115_12"), `title`, `description`, `page_url`;
detail `data` with `detail` (the text, paragraphs split by blank lines, or by <br /> in the
older API), `updated_at`/`public_at` as epoch milliseconds in strings, `categories`,
`thumbnails`. The article's page is https://www3.nhk.or.jp/nhkworld/en/news/<id>/.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from crawler.items import RawArticle
from crawler.sources import NHK_WORLD

PAGE_URL = "https://www3.nhk.or.jp/nhkworld/en/news/{id}/"
DETAIL_URL = "https://api.nhkworld.jp/nwapi/rdnewsweb/v6b/en/detail/{id}.json"


def list_items(body: bytes) -> list[dict[str, Any]]:
    """Items of the list endpoint (its envelope `data` may be a list or hold one)."""
    data = json.loads(body.decode("utf-8-sig")).get("data", [])
    if isinstance(data, dict):
        data = data.get("items") or data.get("list") or []
    return [item for item in data if isinstance(item, dict) and item.get("id")]


def epoch_to_iso(value: Any) -> str | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def raw_from_detail(body: bytes, crawled_at: datetime) -> RawArticle:
    """The RawArticle of one detail response; the article's URL is its web page, not the API."""
    data = json.loads(body.decode("utf-8-sig"))
    data = data.get("data", data)
    if isinstance(data, list):
        data = data[0] if data else {}
    article_id = str(data.get("id", ""))
    text = re.sub(r"<br\s*/?>", "\n", str(data.get("detail") or ""))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    published = epoch_to_iso(data.get("public_at")) or epoch_to_iso(data.get("updated_at"))
    if not published and re.match(r"\d{8}_", article_id):
        published = f"{article_id[:4]}-{article_id[4:6]}-{article_id[6:8]}"
    categories = data.get("categories")
    section = categories.get("name") if isinstance(categories, dict) else None
    thumbnails = data.get("thumbnails") or {}
    image = thumbnails.get("large") or thumbnails.get("middle") if isinstance(thumbnails, dict) \
        else None
    url = PAGE_URL.format(id=article_id)
    provenance = {name: "api" for name in ("title", "body", "published") if data.get(name) or
                  name == "body" and paragraphs or name == "published" and published}
    return RawArticle(
        url=url, source=NHK_WORLD.id, crawled_at=crawled_at, title=data.get("title"),
        paragraphs=paragraphs, summary=data.get("description"), published=published,
        modified=epoch_to_iso(data.get("updated_at")), section=section, language="en",
        image_url=f"https://www3.nhk.or.jp{image}" if image and image.startswith("/") else image,
        canonical_url=url, site_name="NHK WORLD-JAPAN", page_type="article",
        provenance=provenance, timezone=NHK_WORLD.timezone)
