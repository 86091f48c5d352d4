"""`jpnews web` as users run it: a real server process on loopback over the invented articles,
its JSON API over HTTP, and the page in headless Chromium (Debian's chromium and
chromium-driver, which .ci/run installs; the browser tests skip, saying so, without them)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import ROOT

SCREENSHOTS = ROOT / "tests" / "screenshots"  # git-ignored
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def web(search_db: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "web", "--port", str(port), "--database-url",
         search_db], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"jpnews web exited: {process.stderr.read()}")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("jpnews web did not answer within 30 s")
    yield base
    process.terminate()
    process.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def api(web: str, **params: Any) -> tuple[int, dict[str, Any]]:
    status, body = get(f"{web}/api/search?{urlencode(params, doseq=True)}")
    return status, json.loads(body)


# ---- the JSON API ---------------------------------------------------------------------------

def test_api_search_has_results_totals_and_facets(web: str) -> None:
    status, answer = api(web, q='"heavy rain"')
    assert status == 200
    assert answer["total"] == 1 and answer["total_articles"] == 3
    (hit,) = answer["results"]
    assert hit["title"] == "Heavy rain prompts evacuation orders in Kumamoto"
    assert "<mark>" in hit["snippet"] and len(hit["copies"]) == 2
    assert sum(s["count"] for s in answer["facets"]["sources"]) == 3
    assert sum(d["count"] for d in answer["facets"]["days"]) == 3


def test_api_takes_the_cli_parameters(web: str) -> None:
    _, japanese = api(web, q="雨", lang="ja", all_copies="1")
    assert {h["source"] for h in japanese["results"]} == {"mainichi", "tokyo_np", "yomiuri"}
    _, old = api(web, q="typhoon", since="any")
    assert [h["title"] for h in old["results"]] == ["Typhoon cuts power to Okinawa households"]
    _, jiji = api(web, q="wage OR stocks", agency="JIJI")
    assert len(jiji["results"]) == 1
    _, paged = api(web, q="rain OR 雨", limit=1, offset=1)
    assert len(paged["results"]) == 1 and paged["total"] > 1
    _, indonesian = api(web, q='"heavy rain"', hl="id")
    assert indonesian["results"][0]["age"].endswith("jam yang lalu")


@pytest.mark.parametrize("params", [
    {"q": ""}, {"q": "rain", "limit": "abc"}, {"q": "rain", "limit": "0"},
    {"q": "rain", "since": "5q"}, {"q": "rain", "since": "10000y"},
    {"q": "rain", "source": "nosuch"}, {"q": "rain", "group": "nosuch"},
    {"q": "rain", "offset": "-3"}, {"q": "a" * 10_000}, {"q": "the"},
    {"q": "rain", "sort": "random"}, {"q": "rain", "from": "2026-13-45"},
])
def test_api_bad_parameters_are_400_with_a_message(web: str, params: dict[str, str]) -> None:
    status, answer = api(web, **params)
    assert status == 400 and answer["error"] and "Traceback" not in answer["error"]


def test_api_article_with_versions_and_story(web: str) -> None:
    _, answer = api(web, q='"heavy rain"', source="kyodo")
    article_id = answer["results"][0]["id"]
    status, body = get(f"{web}/api/articles/{article_id}")
    article = json.loads(body)
    assert status == 200 and article["source"] == "kyodo"
    assert article["versions"][0]["version"] == 1
    assert len(article["story"]["members"]) == 3
    assert article["story"]["representative_id"] == article_id  # the agency's own copy
    assert get(f"{web}/api/articles/999999")[0] == 404
    assert get(f"{web}/api/articles/abc")[0] == 404


def test_healthz(web: str) -> None:
    status, body = get(f"{web}/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


# ---- the page without a browser ----------------------------------------------------------------

def test_page_is_server_rendered_and_shareable(web: str) -> None:
    status, html = get(f"{web}/?{urlencode({'q': '鹿児島', 'since': '1y'})}")
    assert status == 200
    assert "九州南部で大雨" in html and "<mark>鹿児島</mark>" in html
    assert "1 more outlet" in html and "© " not in html.split("<main")[0]  # credits in cards
    status, html = get(f"{web}/?q=%22unbalanced")
    assert status == 200 and "closing quote" in html


def test_page_language_from_hl_or_accept_language(web: str) -> None:
    assert "Cari Berita" in get(f"{web}/?hl=id")[1]
    assert "Maksimal 1 tahun yang lalu" in get(f"{web}/", {"Accept-Language": "id-ID,id"})[1]
    english = get(f"{web}/", {"Accept-Language": "en-US"})[1]
    assert "Search news" in english and "Not older than 1 year" in english
    status, html = get(f"{web}/?q=%22heavy+rain%22&hl=id")
    assert "jam yang lalu" in html and "2 media lain" in html


def test_page_bad_parameter_is_400_with_the_message(web: str) -> None:
    status, html = get(f"{web}/?q=rain&since=5q")
    assert status == 400 and "not a time window" in html


# ---- the page in a real browser ---------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("headless Chromium not installed (apt-get install chromium "
                    "chromium-driver; .ci/run does it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1100,1400",
                 "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _cards(driver: Any) -> list[dict[str, str]]:
    from selenium.webdriver.common.by import By

    return [{"title": c.find_element(By.CSS_SELECTOR, "h2").text,
             "meta": c.find_element(By.CSS_SELECTOR, ".meta").text,
             "text": c.text} for c in driver.find_elements(By.CSS_SELECTOR, "article.card")]


def _submit(driver: Any) -> None:
    """Submit the form and wait for the new page (not the old one being unloaded): the old
    page's window carries a mark that a new document does not have. (Waiting for the old
    <html> element to go stale raced with Chromium, which sometimes reports it as "not in the
    document" instead.)"""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.jpnewsOldPage = true")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # a script may run while the old document unloads: that attempt fails, the next one counts
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.jpnewsOldPage === undefined && document.readyState === 'complete'"))


def _search(driver: Any, query: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.NAME, "q")
    box.clear()
    box.send_keys(query)
    _submit(driver)


def test_search_page_in_a_browser(web: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(web + "/?hl=en")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Search news"
    assert "double quotes" in browser.find_element(By.CSS_SELECTOR, ".tip").text
    window = Select(browser.find_element(By.NAME, "since"))
    assert window.first_selected_option.text == "Not older than 1 year"

    # a quoted English query: one card for the wire story, its copies behind "2 more outlets"
    _search(browser, '"heavy rain"')
    assert "q=%22heavy+rain%22" in browser.current_url  # the search is in the URL
    (card,) = _cards(browser)
    assert card["title"] == "Heavy rain prompts evacuation orders in Kumamoto"
    assert "hours ago" in card["meta"]
    marks = browser.find_elements(By.CSS_SELECTOR, "article.card .snippet mark")
    assert [m.text.lower() for m in marks][:1] == ["heavy rain"]
    summary = browser.find_element(By.CSS_SELECTOR, "details.copies summary")
    assert summary.text == "2 more outlets"
    copies = browser.find_elements(By.CSS_SELECTOR, "details.copies li")
    assert not copies[0].is_displayed()
    summary.click()
    assert {c.text.split(" · ")[0] for c in copies if c.is_displayed()} == {
        "Kyodo News", "Japan Today"}
    assert browser.find_element(By.ID, "result-count").text.startswith("1 result")
    SCREENSHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "search-heavy-rain.png"))

    # the window: the typhoon of two years ago only when the window is "any time"
    _search(browser, "typhoon")
    assert _cards(browser) == []
    Select(browser.find_element(By.NAME, "since")).select_by_value("any")
    _submit(browser)
    assert [c["title"] for c in _cards(browser)] == ["Typhoon cuts power to Okinawa households"]
    assert "since=any" in browser.current_url

    # a Japanese query, the group filter, then one outlet
    Select(browser.find_element(By.NAME, "since")).select_by_value("1y")
    _search(browser, "大雨")
    cards = _cards(browser)
    assert [c["title"] for c in cards] == ["九州南部で大雨 鹿児島に避難指示"]
    assert "1 more outlet" in cards[0]["text"]
    Select(browser.find_element(By.NAME, "group")).select_by_value("media-jepang")
    _submit(browser)
    assert "group=media-jepang" in browser.current_url and len(_cards(browser)) == 1
    _search(browser, "雨")
    assert len(_cards(browser)) == 2  # the Kyushu rain story and the Yomiuri marathon
    browser.find_element(By.CSS_SELECTOR, "details.outlets summary").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=source][value=yomiuri]").click()
    _submit(browser)
    assert "source=yomiuri" in browser.current_url
    cards = _cards(browser)
    assert [c["title"] for c in cards] == ["市民マラソン大会が中止に 安全確保難しく"]
    assert cards[0]["meta"].startswith("読売新聞 · ")
    browser.save_screenshot(str(SCREENSHOTS / "search-japanese.png"))


def test_search_page_in_indonesian(web: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(web + "/?hl=id&q=%22heavy+rain%22")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Cari Berita"
    (card,) = _cards(browser)
    assert "jam yang lalu" in card["meta"] and "2 media lain" in card["text"]
    assert "Maksimal 1 tahun yang lalu" in browser.page_source
    browser.save_screenshot(str(SCREENSHOTS / "search-indonesian.png"))


def test_only_web_addresses_become_links() -> None:
    from crawler.web.app import _templates

    to_href = _templates.filters["web_url"]
    assert to_href("https://japantoday.com/a") == "https://japantoday.com/a"
    for hostile in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                    "file:///etc/passwd", "//evil.example/x", " javascript:alert(1)",
                    "java\tscript:alert(1)", "\x01javascript:alert(1)", "http:alert(1)"):
        assert to_href(hostile) == "#"


def test_screenshots_are_ignored_by_git() -> None:
    probe = SCREENSHOTS / "probe.png"
    SCREENSHOTS.mkdir(exist_ok=True)
    probe.write_bytes(b"")
    try:
        done = subprocess.run(["git", "check-ignore", str(probe)], cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode == 128:
            pytest.skip("not a git checkout")
        assert done.returncode == 0
    finally:
        probe.unlink()

