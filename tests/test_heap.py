"""The startup heap is frozen when the engine starts, once a process, unless turned off."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import heap
from crawler.runner import project_settings


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    gc.unfreeze()
    gc.disable()  # no automatic collection hides what the extension does or does not do
    heap._frozen = False
    yield
    gc.enable()
    gc.unfreeze()
    heap._frozen = False


def start_engine(**settings: object) -> None:
    crawler = get_crawler(Spider, {"EXTENSIONS": {}, "MEMUSAGE_ENABLED": False, **settings})
    extension = heap.FreezeStartupHeap.from_crawler(crawler)  # signals hold handlers weakly
    crawler.signals.send_catch_log(signals.engine_started)
    del extension


def test_engine_start_freezes_what_lives_and_collects_what_does_not() -> None:
    class Cycle:
        pass

    garbage = Cycle()
    garbage.me = garbage  # type: ignore[attr-defined]
    gone = weakref.ref(garbage)
    del garbage
    start_engine()
    assert gc.get_freeze_count() > 10_000
    assert gone() is None  # collected, not frozen for ever


def test_a_second_crawl_in_the_process_freezes_nothing_more() -> None:
    start_engine()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    leftovers = [[i] for i in range(5000)]
    start_engine()
    assert gc.get_freeze_count() < frozen + len(leftovers)


def test_turned_off() -> None:
    with pytest.raises(NotConfigured):
        start_engine(JPNEWS_GC_FREEZE=False)
    assert gc.get_freeze_count() == 0


def test_on_in_the_project_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = project_settings({})
    assert "crawler.heap.FreezeStartupHeap" in settings.getdict("EXTENSIONS")
    assert settings.getbool("JPNEWS_GC_FREEZE")
