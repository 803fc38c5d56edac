"""Does every dependency of mockint have a wheel for the laptops candidates use?

For each platform (macOS arm64, macOS x86_64, Windows x64) and Python 3.11-3.13 this asks pip to resolve the
project's dependencies from wheels only (`pip install --dry-run --only-binary=:all: --platform ...`), as a
fresh machine would, and prints one line per combination with the versions of the packages that carry
compiled code. It needs the network (pip's index), so it is not part of `make test`; its last output is kept
in docs/wheels.txt and tests/test_wheels.py checks that file against pyproject.toml.

    .venv/bin/python scripts/check_wheels.py [--out docs/wheels.txt] [--python 3.12 ...] [--target NAME ...]

Exit code 0 when every combination resolves, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# pip expands a macOS tag to every older compatible one, so each names the newest system of its kind:
# macOS 14 on Apple Silicon (onnxruntime's arm64 wheels for Python 3.13 start there), macOS 15 for Intel
# Macs (the last macOS they run).
TARGETS = {
    "macos-arm64": "macosx_14_0_arm64",
    "macos-x86_64": "macosx_15_0_x86_64",
    "windows-x64": "win_amd64",
}
PYTHONS = ("3.11", "3.12", "3.13")
NEWER = ("3.14",)  # checked on request (--python 3.14): what a Homebrew or python.org default of today gets
# The packages whose wheels are platform-specific: the ones worth naming in the evidence.
COMPILED = ("ctranslate2", "onnxruntime", "av", "numpy", "tokenizers", "webrtcvad-wheels", "sounddevice", "cffi")


@dataclass(frozen=True, slots=True)
class Outcome:
    target: str
    python: str
    is_resolved: bool
    detail: str  # compiled packages and their versions, or pip's last error line


def dependencies(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    return list(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"])


def deps_digest(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """A short digest of the dependency list, so a stale evidence file can be told apart."""
    return hashlib.sha256("\n".join(dependencies(pyproject)).encode()).hexdigest()[:12]


def pip_command(platform_tag: str, python: str, deps: list[str], report: Path) -> list[str]:
    return [
        sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
        "--disable-pip-version-check", "--only-binary=:all:", "--platform", platform_tag,
        "--python-version", python, "--implementation", "cp", "--report", str(report), *deps,
    ]  # fmt: skip


def resolve(target: str, python: str, deps: list[str]) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        run = subprocess.run(pip_command(TARGETS[target], python, deps, report), capture_output=True, text=True)
        if run.returncode != 0:
            errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
            return Outcome(target, python, False, (errors or ["pip failed"])[0])
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    versions = {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in installs}
    shown = ", ".join(f"{name} {versions[name]}" for name in COMPILED if name in versions)
    return Outcome(target, python, True, f"{len(versions)} packages; {shown}")


def render(outcomes: list[Outcome], digest: str) -> str:
    lines = [f"# scripts/check_wheels.py: pip --dry-run --only-binary=:all: (dependencies {digest})"]
    for o in outcomes:
        lines.append(f"{o.target:13} {o.python:5} {'ok  ' if o.is_resolved else 'FAIL'} {o.detail}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the result to this file")
    parser.add_argument("--python", action="append", choices=PYTHONS + NEWER, help="only these Python versions")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="only these platforms")
    args = parser.parse_args(argv)
    deps = dependencies()
    outcomes = []
    for target in args.target or list(TARGETS):
        for python in args.python or list(PYTHONS):
            outcome = resolve(target, python, deps)
            print(render([outcome], deps_digest()).splitlines()[1], flush=True)
            outcomes.append(outcome)
    if args.out is not None:
        args.out.write_text(render(outcomes, deps_digest()), encoding="utf-8")
    return 0 if all(o.is_resolved for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
