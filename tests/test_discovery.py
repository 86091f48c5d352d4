"""Feeds, news sitemaps and listing pages: article links and the dates printed beside them."""

import gzip

from crawler.discovery import feed_entries, listing_entries, next_page, sitemap_entries
from crawler.html import parse_html
from crawler.sources import JAPANTODAY

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://japantoday.com/category/national/river-festival-draws-crowds</loc>
  <news:news><news:publication><news:name>Japan Today</news:name><news:language>en</news:language>
  </news:publication><news:publication_date>2026-11-29T18:40:00+09:00</news:publication_date>
  <news:title>River festival draws crowds</news:title></news:news></url>
 <url><loc>https://japantoday.com/category/business/yen-edges-up</loc><lastmod>2026-11-28</lastmod></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <sitemap><loc>https://japantoday.com/sitemap-news-1.xml</loc></sitemap>
 <sitemap><loc>https://japantoday.com/sitemap-news-2.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_news_sitemap_pages_and_dates() -> None:
    pages, children = sitemap_entries(NEWS_SITEMAP, "https://japantoday.com/")
    assert children == []
    assert [(p.url.rsplit("/", 1)[-1], p.published, p.title) for p in pages] == [
        ("river-festival-draws-crowds", "2026-11-29T18:40:00+09:00", "River festival draws crowds"),
        ("yen-edges-up", "2026-11-28", None)]


def test_sitemap_index_and_gzip() -> None:
    pages, children = sitemap_entries(gzip.compress(SITEMAP_INDEX), "https://japantoday.com/")
    assert pages == [] and children[1].endswith("sitemap-news-2.xml.gz")
    assert sitemap_entries(b"not xml at all", "https://x/") == ([], [])


def test_rss_and_atom_entries() -> None:
    rss = b"""<rss version="2.0"><channel><item><title>A</title>
      <link>https://japantoday.com/category/national/a-story</link>
      <pubDate>Sun, 29 Nov 2026 18:40:00 +0900</pubDate></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>B</title>
      <link rel="alternate" href="https://japantoday.com/category/national/b-story"/>
      <updated>2026-11-29T10:00:00+09:00</updated>
      <published>2026-11-29T09:00:00+09:00</published></entry></feed>"""
    assert feed_entries(rss, "https://japantoday.com/feed")[0].published == \
        "Sun, 29 Nov 2026 18:40:00 +0900"
    entry = feed_entries(atom, "https://japantoday.com/feed/atom")[0]
    assert entry.url.endswith("/b-story") and entry.published == "2026-11-29T09:00:00+09:00"
    # a feed cut in the middle still gives what came before the cut
    assert len(feed_entries(rss[:-30], "https://japantoday.com/feed")) == 1


def test_listing_dates_and_next_page() -> None:
    html = """<html><body>
      <div class="media"><div><time datetime="2026-11-29 18:40" itemprop="datePublished">
        Today 06:40 pm JST</time><a href="/category/national/a-story#comments">3 Comments</a></div>
        <h3><a href="/category/national/a-story">A story</a></h3></div>
      <div class="media"><span>6 hours ago</span><time>6 hours ago</time>
        <h3><a href="/category/national/b-story">B story</a></h3></div>
      <a href="/category/national">National</a>
      <a rel="next" href="/category/national?page=2">Next</a></body></html>"""
    tree = parse_html(html)
    entries = listing_entries(tree, "https://japantoday.com/category/national", JAPANTODAY)
    assert [(e.url.rsplit("/", 1)[-1], e.published) for e in entries] == [
        ("a-story", "2026-11-29 18:40"), ("b-story", "6 hours ago")]
    assert next_page(tree, "https://japantoday.com/category/national") == \
        "https://japantoday.com/category/national?page=2"


def test_nhk_easy_news_list_json() -> None:
    """NEWS WEB EASY lists its articles as JSON, byte-order mark first, grouped by day."""
    from scrapy.http import Request, TextResponse
    from scrapy.utils.test import get_crawler

    from spiders.nhk_easy import NhkEasySpider

    body = "\ufeff" + '[{"2026-11-28": [{"news_id": "k10014000000000", "title": "t",' \
        ' "news_prearranged_time": "2026-11-28 16:30:00"}], "2026-11-27": [{"news_id":' \
        ' "k10013999999000", "news_prearranged_time": "2026-11-27 11:00:00"}]}]'
    crawler = get_crawler(NhkEasySpider)
    spider = crawler._create_spider()
    url = "https://www3.nhk.or.jp/news/easy/news-list.json"
    response = TextResponse(url, body=body.encode("utf-8"), request=Request(url))
    requests = list(spider.parse_feed(response))
    assert [r.meta["public_url"] for r in requests] == [
        "https://www3.nhk.or.jp/news/easy/k10014000000000/k10014000000000.html",
        "https://www3.nhk.or.jp/news/easy/k10013999999000/k10013999999000.html"]
    assert requests[0].meta["listed_published"].startswith("2026-11-28T16:30:00+09:00")
