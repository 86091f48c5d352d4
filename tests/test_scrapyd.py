"""Scrapyd (issue 10): the project deployed by `scrapyd-deploy` as an egg to a real `scrapyd` on
loopback, crawls scheduled through its HTTP API against the sample site, the articles in Postgres.

Scrapyd runs a job as `python -m scrapyd.runner crawl`, with the uploaded egg on sys.path and its
settings module from the egg's `scrapy` entry point, in scrapyd's own environment plus the job's
`-s NAME=VALUE` settings and `-a NAME=VALUE` spider arguments.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import ROOT, SAMPLE_NOW, fresh_database

from crawler.demo.server import SiteServer
from crawler.demo.site import SampleSite, build_sample_site
from crawler.importer import raw_from_record

pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install -e '.[test]')")
pytest.importorskip("scrapyd_client",
                    reason="scrapyd-client is not installed (pip install -e '.[test]')")

SHIPPED_CONF = ROOT / "deploy" / "scrapyd" / "scrapyd.conf"
PACKAGES = ("crawler", "spiders", "pipelines")
# the outlet's crawl made quick for a loopback site, through the environment overrides of
# crawler/settings.py, as an operator would set them in scrapyd's service environment
FAST = {"JPNEWS_DOWNLOAD_DELAY": "0", "JPNEWS_AUTOTHROTTLE_START_DELAY": "0",
        "JPNEWS_CONCURRENCY_PER_DOMAIN": "8", "JPNEWS_DOWNLOAD_TIMEOUT": "5",
        "JPNEWS_MAX_LISTING_PAGES": "10"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _source_files(folder: Path) -> set[str]:
    """The files of a checkout, less the build output (build/, *.egg-info) that git ignores."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() and not {"build", "jpnews.egg-info"} & set(
                path.relative_to(folder).parts)}


def _api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """GET (no data) or POST a Scrapyd endpoint; its JSON answer, which must say "ok"."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(base + endpoint, data=body, timeout=30) as response:
        answer = json.load(response)
    assert answer.get("status") == "ok", answer
    return answer


class Scrapyd:
    """A `scrapyd` process of the test, configured from the shipped deploy/scrapyd/scrapyd.conf
    with its folders and port moved into the test's."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.base = f"http://127.0.0.1:{_free_port()}/"
        config = configparser.ConfigParser()
        config.read(SHIPPED_CONF, encoding="utf-8")
        section = config["scrapyd"]
        section["http_port"] = self.base.rsplit(":", 1)[1].strip("/")
        for name in ("eggs_dir", "dbs_dir", "logs_dir", "items_dir"):
            section[name] = str(folder / name.removesuffix("_dir"))
        section["poll_interval"] = "0.5"
        # scrapyd reads scrapyd.conf from its working folder, which is not the checkout: the
        # jobs then import the deployed egg, not the source tree beside it
        with (folder / "scrapyd.conf").open("w", encoding="utf-8") as handle:
            config.write(handle)
        self.output = folder / "scrapyd.out"
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.output.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=self.folder,
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"scrapyd exited {self.process.returncode}:\n{self.tail()}")
            try:
                _api(self.base, "daemonstatus.json")
                return
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"scrapyd did not answer on {self.base}:\n{self.tail()}")
                time.sleep(0.2)

    def stop(self) -> None:
        """scrapyd and the crawls it started: they are of its process group."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def tail(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")[-4000:]

    def job_log(self, job: str) -> str:
        logs = list((self.folder / "logs").rglob(f"{job}.log"))
        return logs[0].read_text(encoding="utf-8", errors="replace")[-6000:] if logs else \
            f"(no log of job {job})\n{self.tail()}"

    def deploy(self) -> None:
        """`scrapyd-deploy test` from a copy of the checkout without build output (the build
        would otherwise pack files listed by an earlier build's egg-info manifest), the target
        `test` naming this server in a user's own scrapy.cfg and the project name coming from
        the checkout's [deploy] section."""
        checkout = self.folder / "checkout"
        shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"))
        config = self.folder / "config"
        config.mkdir()
        (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {self.base}\n",
                                           encoding="utf-8")
        before = _source_files(checkout)
        done = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "test"],
                              cwd=checkout,
                              env={**self.env, "XDG_CONFIG_HOME": str(config)},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        # without the checkout's setup.py, scrapyd-deploy writes one of its own into it, which
        # packs whatever find_packages() finds
        assert _source_files(checkout) == before
        # an egg Scrapyd cannot list the spiders of is refused with HTTP 200 and exit code 0
        answer = json.loads(done.stdout)
        assert (answer["status"], answer.get("project")) == ("ok", "jpnews"), done.stdout

    def schedule(self, spider: str, *, settings: dict[str, str],
                 arguments: dict[str, str]) -> str:
        data = [("project", "jpnews"), ("spider", spider)]
        data += [("setting", f"{name}={value}") for name, value in settings.items()]
        data += list(arguments.items())
        return str(_api(self.base, "schedule.json", data)["jobid"])

    def wait(self, jobs: list[str], timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while True:
            finished = {job["id"] for job in
                        _api(self.base, "listjobs.json?project=jpnews")["finished"]}
            if set(jobs) <= finished:
                return
            if time.monotonic() > deadline:
                pytest.fail("jobs not finished:\n" + "\n".join(self.job_log(j) for j in jobs))
            time.sleep(0.5)

    def egg(self) -> Path:
        eggs = list((self.folder / "eggs" / "jpnews").glob("*.egg"))
        assert len(eggs) == 1, eggs
        return eggs[0]


@contextmanager
def running_scrapyd(folder: Path, env: dict[str, str]) -> Iterator[Scrapyd]:
    server = Scrapyd(folder, env)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def storable_titles(site: SampleSite) -> set[str]:
    return {a.title for a in site.articles if a.kind != "not-article"}


def assert_stored(url: str, site: SampleSite, log: str) -> None:
    """Every article of the sample site is in the database, by one finished run."""
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('crawl_runs')").fetchone()[0] is None:
            pytest.fail(f"the job did not migrate the database:\n{log}")
        titles = {row[0] for row in conn.execute("SELECT title FROM articles")}
        runs = conn.execute("SELECT spider, finish_reason, articles_new FROM crawl_runs").fetchall()
    assert titles == storable_titles(site), log
    assert runs == [("japantoday", "finished", len(titles))], log


def test_a_job_scheduled_through_scrapyd_stores_the_sample_site(
        db: str, admin_url: str, tmp_path: Path) -> None:
    site = build_sample_site(SAMPLE_NOW)
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "DATABASE_URL", "JPNEWS_BASE_URLS",
                           "SCRAPY_SETTINGS_MODULE")}
    with fresh_database(admin_url) as service_db, SiteServer(site) as mirror, \
            running_scrapyd(tmp_path, {**env, **FAST, "DATABASE_URL": service_db}) as scrapyd:
        scrapyd.deploy()
        # the database and the mirror per job, the mirror as a JSON-valued setting
        by_settings = scrapyd.schedule("japantoday", arguments={}, settings={
            "DATABASE_URL": db,
            "JPNEWS_BASE_URLS": json.dumps({"japantoday": mirror.base_url})})
        # the database of scrapyd's environment, the mirror as a spider argument
        by_argument = scrapyd.schedule("japantoday", settings={},
                                       arguments={"base_url": mirror.base_url})
        scrapyd.wait([by_settings, by_argument])

        assert_stored(db, site, scrapyd.job_log(by_settings))
        assert_stored(service_db, site, scrapyd.job_log(by_argument))

        # scrapyd's items_dir feed: the articles in the schema `jpnews import` reads
        items = tmp_path / "items" / "jpnews" / "japantoday" / f"{by_settings}.jl"
        read = [raw_from_record(json.loads(line), f"{items}:{number}") for number, line in
                enumerate(items.read_text(encoding="utf-8").splitlines(), 1)]
        assert {article.title for article in read} == storable_titles(site)
        assert {article.source for article in read} == {"japantoday"}

        egg = scrapyd.egg()

    # The jobs ran with the packages of this checkout importable from its installed copy too, so
    # the egg itself must hold every module and data file, for a server without a checkout.
    with zipfile.ZipFile(egg) as packed:
        names = set(packed.namelist())
        entry_points = packed.read("EGG-INFO/entry_points.txt").decode()
    sources = {path.relative_to(ROOT).as_posix() for package in PACKAGES
               for path in (ROOT / package).rglob("*")
               if path.suffix in (".py", ".sql", ".html") and "__pycache__" not in path.parts}
    assert sorted(sources - names) == []
    assert "[scrapy]\nsettings = crawler.settings" in entry_points

    # and the web app's templates load from inside the zip, as the migrations did for the jobs
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from crawler.web import app; "
             "assert app.__file__.startswith(sys.argv[1]), app.__file__; "
             "print(app._templates.get_template('search.html').filename)")
    done = subprocess.run([sys.executable, "-c", probe, str(egg)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{egg}/crawler/web/templates/search.html"
