"""HTML entities in structured data: read as a browser or a search engine reads them.

CMSs escape JSON-LD and <meta> strings as if they were HTML, often twice (`\\u0026quot;` in the
JSON, `&amp;quot;` in an attribute); an article must carry the characters, never the entities.
"""

from __future__ import annotations

import pytest
from conftest import SAMPLE_NOW

from crawler.extract import extract_article
from crawler.text import unescape_entities


@pytest.mark.parametrize(("raw", "expected"), [
    ("&quot;Never again&quot;", '"Never again"'),
    ("&amp;quot;Never again&amp;quot;", '"Never again"'),  # escaped twice
    ("O&#39;Brien", "O'Brien"),
    ("O&amp;#39;Brien", "O'Brien"),
    ("O&#x27;Brien", "O'Brien"),
    ("Caf&eacute; &ndash; menu", "Café – menu"),
    ("AT&T and P&G", "AT&T and P&G"),  # a bare "&" is text
    ("AT&amp;T", "AT&T"),
    ("Tom&notes; R&D&copy=1", "Tom&notes; R&D&copy=1"),  # no entity without its semicolon
    ("東京&amp;amp;大阪", "東京&大阪"),
    ("", ""),
    ("plain text", "plain text"),
])
def test_unescape_entities(raw: str, expected: str) -> None:
    assert unescape_entities(raw) == expected


def test_unescape_is_bounded() -> None:
    """A few rounds undo any escaping a CMS does by mistake; text that spells out an entity
    escaped five times is left with what remains after them, not looped on."""
    deep = "&amp;amp;amp;amp;quot;"
    assert unescape_entities(deep) == "&amp;quot;"


URL = "https://japantoday.com/category/food/shop-owner-says-never-again-to-cash-only"
# Japan Today's 2017 markup with invented text. The JSON-LD escapes as a PHP CMS does
# (json_encode with JSON_HEX_AMP and JSON_HEX_QUOT over htmlspecialchars'd strings), and its
# description is left out so that the summary comes from the <meta> tags, escaped twice.
PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Shop owner says &amp;quot;never again&amp;quot; to cash-only | Japan Today</title>
<link rel="canonical" href="https://japantoday.com/category/food/shop-owner-says-never-again-to-cash-only">
<meta name="description" content="A ramen shop&amp;#39;s owner says AT&amp;T-style &amp;quot;tap to pay&amp;quot; terminals saved her business.">
<meta property="og:site_name" content="Japan Today">
<meta property="og:type" content="article">
<meta property="og:title" content="Shop owner says &amp;quot;never again&amp;quot; to cash-only">
<meta property="og:description" content="A ramen shop&amp;#39;s owner says AT&amp;T-style &amp;quot;tap to pay&amp;quot; terminals saved her business.">
<meta property="og:url" content="https://japantoday.com/category/food/shop-owner-says-never-again-to-cash-only">
<meta property="og:image" content="https://japantoday-asset.scdn3.secure.raxcdn.com/img/store/5e/a1/0c1d2e3f4a5b6c7d8e9f/photo/_w850.jpg">
<meta property="article:published_time" content="2026-11-27T15:30:00+09:00">
<meta property="article:section" content="Food &amp;amp; Drink">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","mainEntityOfPage":"https://japantoday.com/category/food/shop-owner-says-never-again-to-cash-only","headline":"Shop owner says \u0026quot;never again\u0026quot; to cash-only","image":["https://japantoday-asset.scdn3.secure.raxcdn.com/img/store/5e/a1/0c1d2e3f4a5b6c7d8e9f/photo/_w850.jpg"],"datePublished":"2026-11-27T15:30:00+09:00","author":[{"@type":"Person","name":"Siobh\u0026aacute;n O\u0026#39;Rourke"},{"@type":"Person","name":"Kenji D\u0026amp;#39;Souza"}],"publisher":{"@type":"Organization","name":"Japan Today"},"keywords":["food \u0026amp;amp; drink","AT\u0026amp;T","cashless"]}</script>
</head>
<body>
<div class="container wrapper-lg">
<div class="row">
<div class="col-md-9">
<article class="article-full" itemscope itemtype="http://schema.org/NewsArticle">
<a class="text-primary text-uppercase text-small text-strong" href="https://japantoday.com/category/food">Food &amp; Drink</a>
<h1 class="text-xstrong mt-5">Shop owner says "never again" to cash-only</h1>
<div class="text-strong text-xsmall text-gray">
<time datetime="2026-11-27 15:30" itemprop="datePublished">Nov. 27 03:30 pm JST</time>
</div>
<div class="text-large" itemprop="articleBody">
<p>The owner of a ramen shop in Tokyo's Koenji district says she will never return to taking cash only, a year after installing card terminals at her counter.</p>
<p>Sales rose by about a fifth, she said, mostly from younger customers and visitors from abroad who carry little cash. Card fees cost her less than the time she used to spend counting coins each night.</p>
<p>&copy; Japan Today</p>
</div>
</article>
</div>
</div>
</div>
</body>
</html>
"""


def test_structured_data_entities_become_characters() -> None:
    article = extract_article(URL, PAGE.encode(), SAMPLE_NOW, content_type="text/html")
    assert article.provenance["title"] == "jsonld"
    assert article.title == 'Shop owner says "never again" to cash-only'
    assert article.provenance["summary"] == "meta"
    assert article.summary == ('A ramen shop\'s owner says AT&T-style "tap to pay" terminals'
                               " saved her business.")
    assert article.provenance["authors"] == "jsonld"
    assert article.authors == ["Siobhán O'Rourke", "Kenji D'Souza"]
    assert article.section == "Food & Drink"
    assert article.tags == ["food & drink", "AT&T", "cashless"]
