"""The files under deploy/ are checked by the tools that will read them: systemd's own
verifier for the units, and the crontab line's command run twice at once under a real flock."""
from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
CRONTAB = DEPLOY / "cron" / "jpnews.crontab"
# The install path the shipped files name, which a user adjusts; the tests point it elsewhere.
INSTALLED_JPNEWS = "/opt/jpnews/.venv/bin/jpnews"


def test_every_deploy_file_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files = [p.relative_to(ROOT).as_posix() for p in sorted(DEPLOY.rglob("*")) if p.is_file()]
    assert files, "deploy/ is empty"
    assert [f for f in files if f not in readme] == []


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze not installed (Debian: apt-get install systemd; "
                           ".ci/run installs it)")
def test_systemd_units_verify(tmp_path: Path) -> None:
    # verify checks that ExecStart's binary exists, so it points at this venv's jpnews.
    jpnews = Path(sys.executable).parent / "jpnews"
    assert jpnews.exists(), f"{jpnews} missing: install the project (pip install -e .)"
    for unit in SYSTEMD.iterdir():
        text = unit.read_text(encoding="utf-8")
        if unit.suffix == ".service":
            assert f"ExecStart={INSTALLED_JPNEWS} crawl" in text
            text = text.replace(INSTALLED_JPNEWS, str(jpnews))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    units = sorted(str(p) for p in tmp_path.iterdir())
    assert len(units) == 2
    done = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True,
                          text=True, timeout=120)
    # verify exits 0 on an unknown key and only warns, so any line about our units fails.
    ours = [line for line in (done.stdout + done.stderr).splitlines()
            if str(tmp_path) in line or "jpnews" in line]
    assert done.returncode == 0 and ours == [], done.stdout + done.stderr


def _cron_command() -> str:
    """The command of the crontab's one entry (cron.d format: five time fields, a user)."""
    entries = [line for line in CRONTAB.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.lstrip().startswith("#") and "=" not in line.split()[0]]
    assert len(entries) == 1, entries
    fields = entries[0].split(None, 6)
    assert len(fields) == 7, entries[0]
    assert fields[5] == "jpnews"
    return fields[6]


@pytest.mark.skipif(shutil.which("flock") is None, reason="flock not installed (util-linux)")
def test_crontab_runs_never_overlap(tmp_path: Path) -> None:
    command = _cron_command()
    words = shlex.split(command)
    assert words[0] == "flock" and ">>" in words, command
    # The lock file is flock's first argument that is not an option.
    lock = next(w for w in words[1:] if not w.startswith("-"))
    log = words[words.index(">>") + 1]
    assert INSTALLED_JPNEWS in words
    # A stand-in for jpnews that says it started, then holds the lock until told to finish.
    started, release = tmp_path / "started", tmp_path / "release"
    stand_in = tmp_path / "jpnews"
    stand_in.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import pathlib, sys, time
        print("run", *sys.argv[1:], flush=True)
        pathlib.Path({str(started)!r}).touch()
        while not pathlib.Path({str(release)!r}).exists():
            time.sleep(0.05)
        """), encoding="utf-8")
    stand_in.chmod(0o755)
    ours = (command.replace(INSTALLED_JPNEWS, str(stand_in))
            .replace(lock, str(tmp_path / "crawl.lock"))
            .replace(log, str(tmp_path / "crawl.log")))

    # cron runs the command with /bin/sh.
    first = subprocess.Popen(["/bin/sh", "-c", ours])
    try:
        while not started.exists():
            assert first.poll() is None, "the first run ended before it started jpnews"
            time.sleep(0.05)
        second = subprocess.run(["/bin/sh", "-c", ours], timeout=30)
        assert second.returncode == 1  # flock -n: the lock is held, the command did not run
    finally:
        release.touch()
        assert first.wait(timeout=60) == 0
    assert (tmp_path / "crawl.log").read_text(encoding="utf-8").splitlines() == ["run crawl"]
