"""The bundled model cache: assembled once, verified on every use, rebuilt when damaged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockint import model
from mockint.errors import ModelNotAvailable


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MOCKINT_MODEL_CACHE", str(folder))
    return folder


def test_first_use_assembles_and_verifies_the_model(cache: Path) -> None:
    assert not model.model_status().is_ready
    folder = model.ensure_default_model()
    assert folder == cache / "whisper-base"
    assert (folder / "model.bin").stat().st_size == model.MODEL_BIN_BYTES
    assert {p.name for p in folder.iterdir()} == {"model.bin", "config.json", "tokenizer.json", "vocabulary.json"}
    assert model.model_status().is_ready


def test_second_use_does_not_rewrite_the_model(cache: Path) -> None:
    model_bin = model.ensure_default_model() / "model.bin"
    before = model_bin.stat().st_mtime_ns
    model.ensure_default_model()
    assert model_bin.stat().st_mtime_ns == before


def test_truncated_model_is_detected_and_rebuilt(cache: Path) -> None:
    model_bin = model.ensure_default_model() / "model.bin"
    with open(model_bin, "r+b") as f:
        f.truncate(model.MODEL_BIN_BYTES // 2)
    assert not model.model_status().is_ready
    model.ensure_default_model()
    assert model_bin.stat().st_size == model.MODEL_BIN_BYTES
    assert model.model_status().is_ready


def test_altered_model_of_the_right_size_is_detected_and_rebuilt(cache: Path) -> None:
    model_bin = model.ensure_default_model() / "model.bin"
    stat = model_bin.stat()
    with open(model_bin, "r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02\x03")
    os.utime(model_bin, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
    assert "corrupt" in model.model_status().detail
    model.ensure_default_model()
    assert model.model_status().is_ready


def test_interrupted_join_leaves_no_model_and_no_temporary_file(cache: Path) -> None:
    folder = model.default_model_dir()
    folder.mkdir(parents=True)
    (folder / ".model.bin.999.tmp").write_bytes(b"half a join")  # left by a killed process
    model.ensure_default_model()
    assert model.model_status().is_ready


def test_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="does not exist"):
        model.resolve_model(str(tmp_path / "nope" / "model"))


def test_folder_without_model_bin_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="has no model.bin"):
        model.resolve_model(str(tmp_path))


def test_a_model_name_is_passed_to_faster_whisper_unchanged() -> None:
    assert model.resolve_model("small.en") == ("small.en", "small.en")
