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
