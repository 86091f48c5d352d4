"""Serves a demo site (crawler.demo.site) on loopback for the demo, the tests and the benchmark.

A plain threaded http.server: no dependency, HTTP/1.1 keep-alive so a crawler can reuse
connections as it would against the real site, and per-page status/delay/location so tests can
exercise error handling, download timeouts and redirects.

    python -m crawler.demo.server --articles 2000 [--port 8000] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import sys
import threading
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from urllib.parse import urlsplit

from crawler.demo.site import Page, SampleSite, build_sample_site, generate_site

_NOT_FOUND = Page(
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    b"<body><h1>Not Found</h1><p>The page you requested could not be found.</p></body></html>\n",
    status=404)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: SampleSite) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self.stopping = threading.Event()
        self.count_lock = threading.Lock()
        self.requests = 0
        self.log: list[tuple[str, int]] = []
        """(path, status) of every request answered, in order."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up (timeouts, cancelled downloads) are normal here: stay quiet."""
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "JapanTodayDemo/1.0"
    sys_version = ""
    timeout = 60  # drop idle keep-alive connections eventually
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a crawl of thousands of pages must not flood the terminal."""

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _lookup(self) -> Page:
        target = self.path
        if "://" in target:  # absolute-form request line (proxy style)
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        target = target.split("#", 1)[0] or "/"
        pages = self.server.site.pages
        page = pages.get(target)
        if page is None:
            path, sep, query = target.partition("?")
            if len(path) > 1 and path.endswith("/"):
                page = pages.get(path.rstrip("/") + sep + query)
        return page or _NOT_FOUND

    def _respond(self, *, head: bool) -> None:
        page = self._lookup()
        validators = _validators(page, self.server.site.now) if page.status == 200 else {}
        status = 304 if validators and self._unchanged(validators) else page.status
        with self.server.count_lock:
            self.server.requests += 1
            self.server.log.append((self.path, status))
        if page.delay and self.server.stopping.wait(page.delay):
            self.close_connection = True
            return
        self.send_response(status)
        for name, value in validators.items():
            self.send_header(name, value)
        if status == 304:  # no body, as a real server answers a conditional request
            self.end_headers()
            return
        if page.location:
            self.send_header("Location", page.location)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        if page.status >= 500:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(page.body)


    def _unchanged(self, validators: dict[str, str]) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
        if match := self.headers.get("If-None-Match"):
            tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
            return "*" in tags or validators["ETag"] in tags
        if since := self.headers.get("If-Modified-Since"):
            try:
                return parsedate_to_datetime(validators["Last-Modified"]) <= \
                    parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False


def _validators(page: Page, built_at: datetime) -> dict[str, str]:
    """A strong ETag of the bytes and the page's Last-Modified, as real servers send them."""
    etag = '"' + hashlib.sha1(page.body, usedforsecurity=False).hexdigest()[:20] + '"'
    modified = (page.last_modified or built_at).astimezone(timezone.utc)
    return {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}


class SiteServer:
    """Serves a SampleSite on host:port (port 0 = any free port) from a daemon thread."""

    def __init__(self, site: SampleSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> int:
        """Requests answered so far (including 404s and those still sleeping)."""
        return self._server.requests if self._server else 0

    @property
    def log(self) -> list[tuple[str, int]]:
        """(path, status) of every request answered so far."""
        return list(self._server.log) if self._server else []

    @property
    def paths(self) -> list[str]:
        """The request targets answered so far, in order (a test's view of what a crawl
        fetched, including pages still being delayed)."""
        return [path for path, _ in self.log]

    def start(self) -> SiteServer:
        if self._server is not None:
            return self
        self._server = _Server((self.host, self.port), self.site)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="demo-site-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly: sleeping (delayed) handlers are woken and left to die as daemons."""
        server, self._server = self._server, None
        if server is None:
            return
        server.stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Serve a generated (or, with --articles 0, the hand-written) site until killed."""
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.server",
                                     description="Serve the demo Japan Today site on loopback.")
    parser.add_argument("--articles", type=int, default=0,
                        help="number of generated articles (0: the hand-written sample site)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated site")
    parser.add_argument("--bad-pages", action="store_true",
                        help="add the broken pages to the hand-written site")
    args = parser.parse_args(argv)

    now = datetime.now(timezone.utc)
    if args.articles > 0:
        site = generate_site(args.articles, now, seed=args.seed)
    else:
        site = build_sample_site(now, include_bad_pages=args.bad_pages)

    done = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with SiteServer(site, host=args.host, port=args.port) as server:
        print(server.base_url, flush=True)
        while not done.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
