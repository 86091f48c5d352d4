"""Finding article URLs: in RSS/Atom feeds and in listing pages, with the dates they print.

Pure functions of (url, bytes): the spider decides what to fetch, these only read. The date a
listing or feed gives an article is kept, because some article pages print none.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

import lxml.etree
import lxml.html
from scrapy.utils.gz import gunzip

from crawler.sources import Source


@dataclass(frozen=True)
class Entry:
    url: str
    published: str | None = None
    title: str | None = None
    modified: str | None = None
    """When the feed or sitemap says the page last changed (Atom `updated`, sitemap `lastmod`):
    an incremental crawl re-checks a stored article listed as modified after its last check."""


# Publication dates of RSS 2.0, Dublin Core and Atom; Atom's <updated> only when nothing else.
_DATE_TAGS = frozenset({"pubdate", "published", "date", "issued", "updated"})


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def feed_entries(body: bytes, base_url: str) -> list[Entry]:
    """Items of an RSS 2.0, RSS 1.0 or Atom feed; a broken feed yields what parsed before the
    break rather than nothing."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                  huge_tree=False)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries: list[Entry] = []
    for node in root.iter():
        if _local(node.tag) not in ("item", "entry"):
            continue
        link = published = title = modified = None
        for child in node:
            name = _local(child.tag)
            if name == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = href
                elif not href and child.text and child.text.strip():
                    link = child.text.strip()
            elif name in _DATE_TAGS and child.text and not (name == "updated" and published):
                published = child.text.strip()
            if name in ("updated", "modified") and child.text and child.text.strip():
                modified = child.text.strip()
            elif name == "title" and child.text:
                title = child.text.strip()
            elif name == "guid" and not link and child.text and \
                    child.get("isPermaLink", "true") == "true" and child.text.startswith("http"):
                link = child.text.strip()
        if link:
            entries.append(Entry(urljoin(base_url, link), published, title, modified))
    return entries


def sitemap_entries(body: bytes, base_url: str) -> tuple[list[Entry], list[str]]:
    """Pages of a (news) sitemap with their publication dates, and the child sitemaps of an
    index. Gzipped sitemaps are unpacked, within a size limit."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=50 * 1024 * 1024)
        except (OSError, ValueError):
            return [], []
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    pages: list[Entry] = []
    children: list[str] = []
    for node in root:
        kind = _local(node.tag)
        if kind not in ("url", "sitemap"):
            continue
        loc = published = title = modified = None
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and text and loc is None:
                loc = urljoin(base_url, text)
            elif text and (name == "publication_date" or (name == "lastmod" and not published)):
                published = text  # a news sitemap's publication date beats lastmod
            if name == "lastmod" and text:
                modified = text
            elif name == "title" and text:
                title = text
        if loc:
            if kind == "sitemap":
                children.append(loc)
            else:
                pages.append(Entry(loc, published, title, modified))
    return pages, children


def listing_entries(tree: lxml.html.HtmlElement, base_url: str, source: Source) -> list[Entry]:
    """Article links of a listing page, each with the date printed beside it.

    A date is matched to the article link nearest to it in the markup: the smallest ancestor of
    the `<time>` that links to exactly one article.
    """
    dates: dict[str, str] = {}
    for node in tree.xpath('//time | //*[@itemprop="datePublished"]'):
        value = node.get("datetime") or node.get("content") or node.text_content()
        ancestor = node.getparent()
        for _ in range(4):
            if ancestor is None:
                break
            links = {_absolute(a.get("href"), base_url) for a in ancestor.iter("a")}
            articles = {u for u in links if u and source.is_article_url(u)}
            if len(articles) == 1:
                dates.setdefault(articles.pop(), " ".join(value.split()))
                break
            if len(articles) > 1:
                break
            ancestor = ancestor.getparent()
    seen: dict[str, Entry] = {}
    for anchor in tree.iter("a"):
        url = _absolute(anchor.get("href"), base_url)
        if url and url not in seen and source.is_article_url(url):
            title = " ".join((anchor.get("title") or anchor.text_content() or "").split()) or None
            seen[url] = Entry(url, dates.get(url), title)
    return list(seen.values())


def next_page(tree: lxml.html.HtmlElement, base_url: str) -> str | None:
    for node in tree.xpath('//a[@rel="next"][@href] | //link[@rel="next"][@href]'):
        return _absolute(node.get("href"), base_url)
    return None


def _absolute(href: str | None, base_url: str) -> str | None:
    if not href or href.startswith(("javascript:", "mailto:", "#")):
        return None
    return urldefrag(urljoin(base_url, href.strip()))[0]
