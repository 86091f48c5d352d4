"""The embedded default database: a private Postgres the project starts itself.

A new user has no Postgres; `pgserver` ships the server binaries in its wheel. The server is left
running after the process exits (like a local service), so the crawler, the CLI and a later run
share one database and start in milliseconds after the first time.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

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


def embedded_url() -> str:
    """URL of the embedded server, started (and its database created) on first use."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pgserver

        pgdata = data_dir() / "pgdata"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        exists = server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "1 row" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        return server.get_uri(DATABASE_NAME)
