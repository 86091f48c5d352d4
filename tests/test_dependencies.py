"""Every third-party package the code imports is declared in pyproject.toml, with a lower bound.

A package that arrives only as another one's dependency works until that one drops it; then a
fresh install fails at import time, far from the cause.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent
OWN_PACKAGES = ("crawler", "pipelines", "spiders")


def imported_modules(package: Path) -> dict[str, str]:
    """Top-level module of each absolute import in a package → the first file importing it."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def declared_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def test_every_imported_distribution_is_declared() -> None:
    declared = {canonicalize_name(r.name) for r in declared_requirements()}
    distributions = packages_distributions()
    missing: list[str] = []
    for package in OWN_PACKAGES:
        for module, where in imported_modules(ROOT / package).items():
            if module in sys.stdlib_module_names or module in OWN_PACKAGES:
                continue
            providers = {canonicalize_name(d) for d in distributions.get(module, [])}
            if not providers:
                missing.append(f"{module} (imported in {where}) is installed by no distribution")
            elif not providers & declared:
                missing.append(f"{'/'.join(sorted(providers))} (imported as {module} in {where})")
    assert not missing, "not declared in pyproject.toml: " + "; ".join(missing)


def test_every_dependency_has_a_lower_bound() -> None:
    unbounded = [str(r) for r in declared_requirements()
                 if not any(s.operator in (">=", "==", "~=", ">") for s in r.specifier)]
    assert not unbounded


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_install_shows_its_progress(tmp_path: Path) -> None:
    """`make demo` installs first: a minute of silence looks like a hang, so each step says what
    it does and pip prints its own progress (what `make -n` would run, nothing installed)."""
    result = subprocess.run(["make", "-n", "install", f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    project_install = [line for line in lines if " pip install" in line and " -e " in line]
    assert project_install, result.stdout
    assert not any(flag in line.split() for line in project_install for flag in ("-q", "--quiet"))
    steps = [line for line in lines if line.startswith("echo ")]
    assert len(steps) >= 2, result.stdout
