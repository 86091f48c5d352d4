"""In-run monitors (Spidermon): the article schema, then real crawls whose row keeps what the
monitors found, a run whose articles lack a field, a run whose settings lack the thresholds."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import psycopg
from conftest import ROOT, SAMPLE_NOW, run_jpnews, run_scrapy
from jsonschema import Draft202012Validator, FormatChecker
from newsroom import article
from test_crawl import STORABLE, crawl

from crawler.article_schema import ARTICLE_SCHEMA, INTERNAL
from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site
from crawler.items import Article

CHECKS = {"item validation", "field coverage", "finish reason", "error count"}
UNDATED = [dataclasses.replace(a, kind="no-date") if a.kind == "standard" else a
           for a in SAMPLE_ARTICLES]
"""The sample site with the publication date gone from every page of the standard markup."""


def last_run(db: str) -> dict:
    with psycopg.connect(db) as conn:
        conn.row_factory = psycopg.rows.dict_row
        return conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()


def errors_of(record: dict) -> list[str]:
    validator = Draft202012Validator(ARTICLE_SCHEMA, format_checker=FormatChecker())
    return sorted(".".join(map(str, e.absolute_path)) for e in validator.iter_errors(record))


def test_the_schema_is_the_articles_json_form() -> None:
    Draft202012Validator.check_schema(ARTICLE_SCHEMA)
    record = article("ferry").to_json()
    fields = [f.name for f in dataclasses.fields(Article) if f.name not in INTERNAL]
    assert list(ARTICLE_SCHEMA["properties"]) == fields == list(record)
    assert ARTICLE_SCHEMA["required"] == fields
    assert errors_of(record) == []
    # what the dataclass does not enforce, the schema does
    broken = {**record, "title": "", "published_at": "yesterday", "url": "/relative path",
              "provenance": {"title": 7}, "authors": [None]}
    assert errors_of(broken) == ["authors.0", "provenance.title", "published_at", "title", "url"]
    assert errors_of({k: v for k, v in record.items() if k != "body"}) == [""]


def test_a_sample_crawl_keeps_passing_monitors_in_its_row(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        run = crawl(db, server.base_url)
    report = run["monitors"]
    assert {name: r["status"] for name, r in report["monitors"].items()} == \
        dict.fromkeys(CHECKS, "passed")
    coverage = report["coverage"]
    assert coverage["Article/title"] == coverage["Article/body"] == 1.0
    # one page of the sample prints no date; its credit line is on all but one article
    assert coverage["Article/published_at"] == round((len(STORABLE) - 1) / len(STORABLE), 4)
    assert coverage["Article/credit"] == round(
        sum(a.credit is not None for a in STORABLE) / len(STORABLE), 4)
    assert coverage["Article/editor_note"] < 0.1  # None is missing, not present
    assert report["validation_errors"] == {}
    assert "[Spidermon]" not in run["log"] and "monitors failed" not in run["log"]
    # the field coverage went into the stats too, before the row was written
    assert run["stats"]["spidermon_field_coverage/Article/title"] == 1.0


def test_articles_without_dates_fail_the_coverage_monitor_and_health_says_so(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW, articles=UNDATED)) as server:
        done = run_jpnews("crawl", "japantoday", "--database-url", db,
                          "--base-url", f"japantoday={server.base_url}",
                          "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0")
    assert done.returncode == 0, done.stderr[-3000:]
    report = last_run(db)["monitors"]
    dated = sum(a.kind not in ("standard", "no-date") for a in STORABLE)  # other markups
    assert report["coverage"]["Article/published_at"] == round(dated / len(STORABLE), 4)
    coverage = report["monitors"]["field coverage"]
    assert coverage["status"] == "failed"
    assert "Article/published_at (expected 0.8, got 0.11" in coverage["reason"]
    assert "Article/credit" not in coverage["reason"]
    assert all(report["monitors"][name]["status"] == "passed" for name in CHECKS - {
        "field coverage"})
    # a one-line summary, at the WARNING level `jpnews crawl` shows; no report, no traceback
    lines = [line for line in done.stderr.splitlines() if "monitors failed" in line]
    assert len(lines) == 1 and "field coverage (" in lines[0], done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "[Spidermon]" not in done.stderr

    health = run_jpnews("health", "--json", "--database-url", db)
    assert health.returncode == 1, health.stderr
    outlet = next(o for o in map(json.loads, health.stdout.splitlines())
                  if o["outlet"] == "japantoday")
    assert outlet["verdict"] == "warning"
    assert any(r.startswith("the field coverage monitor failed in the last run: ")
               and "Article/published_at" in r for r in outlet["reasons"]), outlet["reasons"]


def test_an_imported_article_breaking_the_schema_fails_item_validation(db: str,
                                                                       tmp_path: Path) -> None:
    good, bad = article("ferry").to_json(), article("orchard").to_json()
    # a string, so import's type check lets it through, but no IRI: the schema refuses it
    bad["image_url"] = "https://japantoday.com/images/a photo.jpg"
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in (good, bad)), encoding="utf-8")
    done = run_jpnews("import", str(dump), "--database-url", db)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 new" in done.stdout  # an alarm, not a filter: both are stored
    report = last_run(db)["monitors"]
    validation = report["monitors"]["item validation"]
    assert validation["status"] == "failed"
    assert "Current value: '1.0'" in validation["reason"]
    assert [(key.rsplit("/", 1)[1], count) for key, count in
            report["validation_errors"].items()] == [("image_url", 1)]  # by field
    # a dump has the fields it has: coverage rules are for outlets' pages
    assert report["monitors"]["field coverage"]["status"] == "skipped"
    assert report["coverage"]["Article/published_at"] == 1.0
    lines = [line for line in done.stderr.splitlines() if "monitors failed" in line]
    assert len(lines) == 1 and "import: monitors failed: item validation (" in lines[0]
    assert "Traceback" not in done.stderr


THRESHOLDS = ("SPIDERMON_MAX_ITEM_VALIDATION_ERRORS", "SPIDERMON_ADD_FIELD_COVERAGE",
              "SPIDERMON_FIELD_COVERAGE_RULES", "SPIDERMON_EXPECTED_FINISH_REASONS",
              "SPIDERMON_MAX_ERRORS")


def test_a_missing_threshold_is_not_checked_and_never_raises(db: str, tmp_path: Path) -> None:
    # the project's settings without the thresholds: not set to nothing, absent
    (tmp_path / "bare_settings.py").write_text(
        "from crawler.settings import *  # noqa: F403\n"
        f"for _name in {THRESHOLDS!r}:\n    del globals()[_name]\n", encoding="utf-8")
    env = {"SCRAPY_SETTINGS_MODULE": "bare_settings", "PYTHONPATH": f"{tmp_path}:{ROOT}"}
    with SiteServer(build_sample_site(SAMPLE_NOW, articles=UNDATED)) as server:
        done = run_scrapy("crawl", "japantoday", "-s", f"DATABASE_URL={db}",
                          "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": server.base_url}),
                          "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "monitors failed" not in done.stderr
    run = last_run(db)
    assert run["finish_reason"] == "finished" and run["articles_new"] == len(STORABLE)
    monitors = run["monitors"]["monitors"]
    assert {name: r["status"] for name, r in monitors.items()} == {
        "item validation": "skipped", "field coverage": "skipped", "error count": "skipped",
        "finish reason": "passed"}  # Spidermon's default reason, "finished"
    assert monitors["error count"]["reason"].startswith("not checked: Configure SPIDERMON_MAX_")
    assert "SPIDERMON_ADD_FIELD_COVERAGE" in monitors["field coverage"]["reason"]
    assert run["monitors"]["coverage"] == {}  # nothing counted without the setting


def test_spidermon_switched_off_leaves_the_column_empty(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        run = crawl(db, server.base_url, "-s", "SPIDERMON_ENABLED=False")
    assert run["monitors"] is None and run["articles_new"] == len(STORABLE)
