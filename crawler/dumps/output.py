"""Where a dump goes: a file or a folder that appears under its name only when complete.

A dump is written under a temporary name in the same folder (`.NAME.partial-PID`) and renamed
to its name at the end, so a reader never sees half a dump under the real name, and an
interrupted or failed export leaves nothing behind: the temporary file or folder is removed on
any exception, Ctrl-C included. The same folder, because a rename is atomic only within one
file system. A file is flushed to disk before the rename, so a crash right after it does not
leave an empty file under the name either.

Text dumps are compressed by the name they are given: `.gz` gzip, `.zst` zstandard.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

import zstandard

Compression = Literal["gzip", "zstd"]
GZIP_LEVEL = 6
"""gzip's default (9) costs three times the time for 3-4 % smaller article text."""
ZSTD_LEVEL = 3
PARTITION_FOLDER = re.compile(r"published_(date|month)=.+")
"""The folders of a partitioned dump: an existing folder of only these may be replaced."""


class OutputError(Exception):
    """The dump cannot be written where asked; one line meant for the user."""


def compression(name: str) -> Compression | None:
    lowered = name.lower()
    if lowered.endswith(".gz"):
        return "gzip"
    if lowered.endswith(".zst"):
        return "zstd"
    return None


def _temporary(final: Path) -> Path:
    return final.parent / f".{final.name}.partial-{os.getpid()}"


def _cannot(final: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {final}: {exc.strerror or exc}")


@contextmanager
def atomic_file(final: Path) -> Iterator[BinaryIO]:
    """A binary file to write the dump into; it becomes `final` when the block ends without
    an exception, and is removed otherwise."""
    if final.is_dir():
        raise OutputError(f"cannot write {final}: it is a folder")
    temporary = _temporary(final)
    try:
        handle = open(temporary, "xb")  # noqa: SIM115 - closed below, before the rename
    except OSError as exc:
        raise _cannot(final, exc) from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(final: Path) -> Iterator[Path]:
    """A folder to write a partitioned dump into; it becomes `final` when the block ends
    without an exception, and is removed otherwise. An existing `final` is replaced only when
    it is empty or holds nothing but partition folders (an earlier dump): a mistyped --output
    must not delete someone's folder."""
    if final.exists():
        if not final.is_dir():
            raise OutputError(f"cannot write {final}: it exists and is not a folder")
        strangers = [p.name for p in final.iterdir()
                     if not (p.is_dir() and PARTITION_FOLDER.fullmatch(p.name))]
        if strangers:
            raise OutputError(f"will not replace {final}: it holds {strangers[0]!r}, which is "
                              "not a partition of a dump")
    temporary = _temporary(final)
    try:
        temporary.mkdir()
    except OSError as exc:
        raise _cannot(final, exc) from None
    try:
        yield temporary
        if final.exists():  # swap: the old dump goes aside, the new one in, the old one away
            old = final.parent / f".{final.name}.old-{os.getpid()}"
            os.rename(final, old)
            os.rename(temporary, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


@contextmanager
def text_stream(raw: BinaryIO, packing: Compression | None, *, inner_name: str = "",
                newline: str = "\n") -> Iterator[TextIO]:
    """UTF-8 text over `raw`, compressed or not; `raw` stays open (it may be stdout).
    `inner_name` is the name gzip records for the uncompressed file."""
    packed: BinaryIO
    if packing == "gzip":
        packed = gzip.GzipFile(filename=inner_name, mode="wb", fileobj=raw,
                               compresslevel=GZIP_LEVEL)
    elif packing == "zstd":
        packed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(raw, closefd=False)
    else:
        packed = raw
    text = io.TextIOWrapper(packed, encoding="utf-8", newline=newline,
                            write_through=False)
    try:
        yield text
        text.flush()
    finally:
        text.detach()
    if packed is not raw:
        packed.close()  # the gzip trailer, the zstd frame's end; `raw` itself stays open
    raw.flush()
