"""A TCP relay in front of Postgres that a test cuts (every connection reset) or stalls (one
connection black-holed: open, acknowledged by the kernel, forwarding nothing, as a stuck proxy
or a dropped route does), for faults no mock can stage."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest


class Relay:
    """Forwards 127.0.0.1:<port> to Postgres until cut; cutting drops every live connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        self.marker: bytes | None = None
        self.stalled = threading.Event()
        """Set once a connection is black-holed; it stays so until the relay closes."""
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database_url: str) -> str:
        """`database_url` reached through the relay."""
        parts = urlsplit(database_url)
        netloc = parts.netloc.replace(f"{parts.hostname}:{parts.port}" if parts.port
                                      else str(parts.hostname), f"127.0.0.1:{self.port}")
        return urlunsplit(parts._replace(netloc=netloc))

    def stall_on(self, marker: bytes) -> None:
        """Black-hole the first connection whose client sends `marker`, from that message on
        (not forwarded) and both ways; the others go on."""
        self.marker = marker

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            stalled = threading.Event()
            for a, b, outbound in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pipe, args=(a, b, outbound, stalled),
                                 daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, outbound: bool,
              stalled: threading.Event) -> None:
        try:
            while data := src.recv(65536):
                if outbound and self.marker is not None and self.marker in data:
                    self.marker = None
                    stalled.set()
                    self.stalled.set()
                if stalled.is_set():
                    self.closed.wait()  # read nothing more, send nothing, close nothing
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.closed.set()
        self.cut()
        self.listener.close()


@contextlib.contextmanager
def relay_to(database_url: str) -> Iterator[Relay]:
    parts = urlsplit(database_url)
    if not parts.hostname:
        pytest.skip("the test database is on a Unix socket; the relay needs TCP")
    relay = Relay((parts.hostname, parts.port or 5432))
    try:
        yield relay
    finally:
        relay.close()
