"""The lock files agree with pyproject.toml: a dependency added or raised there without
`make lock` fails here, with the command to run, before an install goes wrong.

requirements/dev.txt (make install, CI) and requirements/runtime.txt (the image) are written
by `make lock` (README, "Dependencies and the lock files"). These checks read the files only.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)", re.MULTILINE)
FIX = "run `make lock` and commit pyproject.toml with both lock files"


def pins(name: str) -> dict[str, set[str]]:
    """Each locked package (canonical name) with its versions (one per Python range)."""
    found: dict[str, set[str]] = defaultdict(set)
    for match in PIN.finditer((ROOT / "requirements" / name).read_text()):
        found[canonicalize_name(match["name"])].add(match["version"])
    return found


def check_locked(requirements: list[str], locked: dict[str, set[str]], lock: str) -> None:
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in {lock}: {FIX}"
        for version in locked[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} has {requirement.name}=={version}, outside {requirement.specifier}: {FIX}"
            )


def test_every_runtime_dependency_is_locked_for_the_image_and_for_ci() -> None:
    dependencies = PYPROJECT["project"]["dependencies"]
    check_locked(dependencies, pins("runtime.txt"), "requirements/runtime.txt")
    check_locked(dependencies, pins("dev.txt"), "requirements/dev.txt")


def test_every_development_dependency_is_locked_for_ci() -> None:
    dev = PYPROJECT["project"]["optional-dependencies"]["dev"]
    check_locked(dev, pins("dev.txt"), "requirements/dev.txt")


def test_the_image_runs_the_versions_ci_tests() -> None:
    runtime, dev = pins("runtime.txt"), pins("dev.txt")
    differ = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert differ == {}, f"runtime.txt and dev.txt disagree: {FIX}"


def test_every_locked_file_has_its_hash() -> None:
    for name in ("runtime.txt", "dev.txt"):
        text = (ROOT / "requirements" / name).read_text()
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        assert len(entries) == sum(len(v) for v in pins(name).values())
        for entry in entries:
            assert "--hash=sha256:" in entry, f"{name}: no hash for {entry.splitlines()[0]}"
