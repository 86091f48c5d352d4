"""The embedded default database: a private Postgres the project starts itself.

A new user has no Postgres; `pgserver` ships the server binaries in its wheel. The server is left
running after the process exits (like a local service), so the crawler, the CLI and a later run
share one database and start in milliseconds after the first time.
"""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import platformdirs

log = logging.getLogger(__name__)

DATABASE_NAME = "jpnews"


def data_dir() -> Path:
    """Where jpnews keeps its embedded database and spill files (JPNEWS_DATA_DIR overrides).

    Postgres refuses to run as root, so as root pgserver runs it as a system user of its own and
    opens the data folder's parents to it; a folder outside root's home keeps that home closed.
    """
    configured = os.environ.get("JPNEWS_DATA_DIR")
    if configured:
        return Path(configured)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/jpnews")
    return platformdirs.user_data_path("jpnews")


@contextmanager
def _quiet() -> Iterator[None]:
    """pgserver's failures reach the user as one line (DatabaseUnavailable), not as the dozen
    lines pgserver logs for a failed pg_ctl, which keeps them in the server's log file."""
    pg_log = logging.getLogger("pgserver")
    level = pg_log.level
    pg_log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            yield
    except subprocess.CalledProcessError as exc:
        program = Path(str(exc.cmd[0] if isinstance(exc.cmd, list) else exc.cmd)).name
        raise RuntimeError(f"{program} exited with status {exc.returncode} (see the log in "
                           f"{data_dir() / 'pgdata' / 'log'})") from exc
    finally:
        pg_log.setLevel(level)


def embedded_url() -> str:
    """URL of the embedded server, started (and its database created) on first use."""
    with _quiet():
        import pgserver

        pgdata = data_dir() / "pgdata"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        exists = server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "1 row" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:  # no Unix sockets (Windows): pgserver listens on a port
        return server.get_uri(DATABASE_NAME)
    # pgserver's own URI puts the socket folder unencoded in the query string, which breaks on
    # a folder with a space or '&' in its name (macOS: "Application Support").
    return f"postgresql://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir), safe='/')}"


def stop() -> int | None:
    """Stop the embedded server if it runs; returns the pid it had, or None if none ran."""
    with _quiet():
        import pgserver
        from pgserver.utils import PostmasterInfo

        pgdata = (data_dir() / "pgdata").resolve()
        info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
        if info is None or not info.is_running():
            return None
        # As root, pgserver runs Postgres as its own system user, and pg_ctl refuses root.
        user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
        pgserver.pg_ctl(["-w", "stop"], pgdata=pgdata, user=user, timeout=60)
    return info.pid
