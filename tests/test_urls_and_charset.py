import pytest

from crawler.html import UndecodablePage, decode_html
from crawler.sources import JAPANTODAY, source_for_url
from crawler.urls import canonicalize_url


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTP://JapanToday.com/category/national/abc-def/?utm_source=x&utm_medium=rss#comments",
     "https://japantoday.com/category/national/abc-def"),
    ("https://japantoday.com/category/national/it%27s-ok", "https://japantoday.com/category/national/it's-ok"),
    ("https://japantoday.com/category/national/x?b=2&a=1&fbclid=z",
     "https://japantoday.com/category/national/x?a=1&b=2"),
    ("https://japantoday.com:443//category//national/y", "https://japantoday.com/category/national/y"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


@pytest.mark.parametrize(("url", "is_article"), [
    ("https://japantoday.com/category/national/500-people-stranded-aboard-ferry", True),
    ("https://japantoday.com/category/business/Japan-logs-Y3.4-billion-trade-surplus-with-US", True),
    ("https://japantoday.com/category/features/lifestyle/a-day-in-kyoto", True),
    ("https://japantoday.com/category/national", False),
    ("https://japantoday.com/category/features/lifestyle", False),
    ("https://japantoday.com/category/national/feed", False),
    ("https://japantoday.com/category/national/feed/atom", False),
    ("https://example.com/category/national/story-x", False),
])
def test_japantoday_article_urls(url: str, is_article: bool) -> None:
    assert JAPANTODAY.is_article_url(url) is is_article


def test_source_for_url() -> None:
    assert source_for_url("https://japantoday.com/category/x/y") is JAPANTODAY
    assert source_for_url("https://www.example.org/news/1") is None


def test_charset_utf8_first_then_declared_then_detected() -> None:
    text = "<html><head><meta charset='Shift_JIS'></head><body>東京都の知事</body></html>"
    assert "東京都" in decode_html(text.encode("shift_jis"), "text/html")[0]
    assert "東京都" in decode_html(text.encode("utf-8"), "text/html; charset=shift_jis")[0]
    euc = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=EUC-JP'>" \
          "</head><body>大阪府の天気は晴れ</body></html>"
    assert "大阪府" in decode_html(euc.encode("euc_jp"))[0]
    latin = "<p>Café crème à la française, déjà vu</p>".encode("cp1252")
    decoded, codec = decode_html(latin, "text/html; charset=utf-8")  # the header lies
    assert "Café crème" in decoded and codec != "utf-8"


def test_late_meta_charset_is_found() -> None:
    page = ("<html><head><!-- " + "x" * 6000 + " --><meta charset='euc-jp'></head>"
            "<body>日本語の記事本文です</body></html>").encode("euc_jp")
    assert "日本語の記事本文" in decode_html(page)[0]


def test_undecodable_bytes_raise() -> None:
    with pytest.raises(UndecodablePage):
        decode_html(bytes(range(128, 256)) * 50, "text/html; charset=utf-8")


def test_utf8_page_with_a_stray_byte_stays_utf8() -> None:
    page = ("<html><head><meta charset='utf-8'></head><body><!-- ad \xff -->"
            "<p>東京都の知事は十八日、会見した。Okinawa’s reef — “main” story</p>"
            "</body></html>").encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")
    text, codec = decode_html(page)
    assert codec == "utf-8" and "東京都の知事" in text and "Okinawa’s reef — “main”" in text


def test_mojibake_is_recognised() -> None:
    from crawler.text import mojibake_reason

    assert mojibake_reason("Okinawaâ€™s reef â€” â€œmainâ€") is not None
    assert mojibake_reason("CafÃ© crÃ¨me") is not None
    assert mojibake_reason("譁ー縺励＞繧ｵ繝ｼ繝薙せ") is not None
    assert mojibake_reason("a broken \ufffd character") is not None
    assert mojibake_reason("Café crème, Zürich, “quoted” — 東京都の知事") is None


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://ex.jp/news/%82%A0.html", "https://ex.jp/news/%82%A2.html", False),  # Shift_JIS bytes
    ("https://ex.jp/news/%82%a0.html", "https://ex.jp/news/%82%A0.html", True),
    ("https://ex.jp/a/100%25-sure", "https://ex.jp/a/100%-sure", True),  # a bare % is a literal %
    ("https://ex.jp/a%2Fb", "https://ex.jp/a/b", False),
    ("https://www3.nhk.or.jp/news/ニュース/", "https://www3.nhk.or.jp/news/%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9", True),
])
def test_canonical_url_keeps_bytes(a: str, b: str, same: bool) -> None:
    assert (canonicalize_url(a) == canonicalize_url(b)) is same
    assert "\ufffd" not in canonicalize_url(a) and "%EF%BF%BD" not in canonicalize_url(a)


def test_mojibake_page_is_refused_not_stored() -> None:
    from crawler.extract import extract_article
    from crawler.normalize import Rejected

    text = "Okinawa’s reef — “main” story. " * 20
    page = (f"<html><head><title>Reef</title></head><body><article><h1>Reef</h1><p>"
            f"{text.encode('utf-8').decode('cp1252', 'replace')}</p></article></body></html>")
    with pytest.raises(Rejected) as refused:
        extract_article("https://example.org/news/reef", page.encode("utf-8"))
    assert refused.value.reason == "mojibake"


@pytest.mark.parametrize(("variant", "original"), [
    # tracking parameters and fragments
    ("https://japantoday.com/category/national/ferry-returns?utm_source=twitter&utm_medium=social#comments",
     "https://japantoday.com/category/national/ferry-returns"),
    # %27 versus '
    ("https://japantoday.com/category/national/it%27s-back", "https://japantoday.com/category/national/it's-back"),
    # letter case in slugs, where the outlet ignores it
    ("https://japantoday.com/category/politics/Abe-takes-blame-for-loss-of-trust",
     "https://japantoday.com/category/politics/abe-takes-blame-for-loss-of-trust"),
    # AMP and mobile variants
    ("https://www.japantimes.co.jp/news/2020/02/18/national/crime-legal/masks-stolen/amp/",
     "https://www.japantimes.co.jp/news/2020/02/18/national/crime-legal/masks-stolen/"),
    ("https://amp.example.com/news/2024/story.html", "https://www.example.com/news/2024/story.html"),
    ("https://m.example.com/news/2024/story.amp.html?outputType=amp", "https://example.com/news/2024/story.html"),
    ("https://www.nippon.com/en/news/yjj2025111700520/?amp=1", "https://nippon.com/en/news/yjj2025111700520/"),
    # Kyodo's re-issued updates
    ("https://english.kyodonews.net/news/2024/07/de26206afbdb-update1-japanese-airline-hit.html",
     "https://english.kyodonews.net/news/2024/07/de26206afbdb-japanese-airline-hit.html"),
    ("http://english.kyodonews.net/news/2024/07/de26206afbdb-UPDATE2-Japanese-Airline-Hit.html",
     "https://english.kyodonews.net/news/2024/07/de26206afbdb-japanese-airline-hit.html"),
])
def test_variants_of_one_article_share_an_identity(variant: str, original: str) -> None:
    assert canonicalize_url(variant) == canonicalize_url(original)


@pytest.mark.parametrize(("a", "b"), [
    # case matters where IDs are case-sensitive
    ("https://www.nikkei.com/article/DGXZQOUB148MY0U5A110C2000000/",
     "https://www.nikkei.com/article/dgxzqoub148my0u5a110c2000000/"),
    ("https://www.asahi.com/articles/AST1F4445T1FUTIL02SM.html",
     "https://www.asahi.com/articles/AST1F4445T1FUTIL02SN.html"),
    ("https://mainichi.jp/english/articles/20241221/p2a/00m/0bu/021000c",
     "https://mainichi.jp/articles/20241221/p2a/00m/0bu/021000c"),
])
def test_different_articles_keep_different_identities(a: str, b: str) -> None:
    assert canonicalize_url(a) != canonicalize_url(b)


def test_real_corpus_urls_are_stable_identities() -> None:
    import json

    from conftest import corpus_path

    root = corpus_path()
    urls = [json.loads(m.read_text())["url"] for m in sorted(root.glob("*/*/*.meta.json"))]
    urls += [info["url"] for info in json.loads((root / "aeb" / "ground-truth.json")
                                                 .read_text()).values()]
    canonical = [canonicalize_url(u) for u in urls]
    assert [canonicalize_url(c) for c in canonical] == canonical  # idempotent
    assert len(set(canonical)) == len(set(urls))  # distinct pages stay distinct
    for url, identity in zip(urls, canonical, strict=True):
        source = source_for_url(url)
        if source is not None and source.is_article_url(url):
            assert source_for_url(identity) is source and source.is_article_url(identity)
