"""What differs per OS, checked on Linux with each platform's behaviour faked: Windows-style and non-ASCII
paths, a missing MSVC runtime, each OS's folders and hints."""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath
from typing import Any

import pytest

from mockint import paths
from mockint.asr import import_whisper, load_whisper
from mockint.errors import ModelNotAvailable
from mockint.model import resolve_model
from mockint.platforms import (
    System,
    ascii_model_cache,
    current,
    host_api_rank,
    install_hint,
    looks_like_path,
    microphone_permission,
    user_data_dir,
)

WINDOWS_MODEL = "C:\\Users\\José\\AppData\\Local\\mockint\\models\\whisper-base"


@pytest.mark.parametrize("text", [WINDOWS_MODEL, "C:models", "\\\\server\\share\\m", "./m", "~/m", "/opt/m", "ü/m"])
def test_paths_on_any_os_look_like_paths(text: str) -> None:
    assert looks_like_path(text)


@pytest.mark.parametrize("text", ["small.en", "base", "distil-large-v3", "tiny"])
def test_model_names_do_not(text: str) -> None:
    assert not looks_like_path(text)


def test_a_windows_model_folder_that_is_missing_is_not_looked_up_as_a_model_name() -> None:
    with pytest.raises(ModelNotAvailable, match="does not exist"):
        resolve_model(WINDOWS_MODEL)


class FakeFasterWhisper:
    """faster_whisper with a WhisperModel that cannot load anything, recording what it was asked."""

    def __init__(self) -> None:
        self.loads: list[dict[str, Any]] = []
        owner = self

        class WhisperModel:
            def __init__(self, source: str, **settings: Any) -> None:
                owner.loads.append({"source": source, **settings})
                raise RuntimeError(f"Unable to open file 'model.bin' in model '{source}'")

        self.WhisperModel = WhisperModel


def test_a_failed_load_of_a_windows_folder_is_reported_not_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeFasterWhisper()
    monkeypatch.setitem(sys.modules, "faster_whisper", fake)
    with pytest.raises(ModelNotAvailable, match="Cannot load the speech model in 'C:.*José"):
        load_whisper(WINDOWS_MODEL, 0)
    assert len(fake.loads) == 1 and fake.loads[0]["local_files_only"] is True


def test_a_missing_msvc_runtime_is_one_line_naming_the_redistributable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import fails, as ctranslate2's DLL does
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(ModelNotAvailable) as caught:
        import_whisper()
    message = str(caught.value)
    assert "Visual C++ Redistributable" in message and "vc_redist.x64.exe" in message and "\n" not in message


def test_elsewhere_a_broken_recogniser_says_to_reinstall_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(ModelNotAvailable, match="force-reinstall faster-whisper"):
        import_whisper()


def test_each_system_is_named_by_its_sys_platform() -> None:
    assert [current(p) for p in ("linux", "darwin", "win32", "freebsd14")] == [
        System.LINUX, System.MACOS, System.WINDOWS, System.OTHER]


def test_linux_keeps_the_folder_existing_users_have(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert user_data_dir(System.LINUX, tmp_path) == tmp_path / ".local/share/mockint"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_data_dir(System.LINUX, tmp_path) == tmp_path / "xdg/mockint"


def test_macos_uses_application_support_unless_an_older_mockint_made_the_linux_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert user_data_dir(System.MACOS, tmp_path) == tmp_path / "Library/Application Support/mockint"
    (tmp_path / ".local/share/mockint").mkdir(parents=True)
    assert user_data_dir(System.MACOS, tmp_path) == tmp_path / ".local/share/mockint"


def test_windows_uses_local_app_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    seen: dict[str, Any] = {}

    def fake_dir(appname: str, appauthor: Any = None, roaming: bool = True, **_: Any) -> str:
        seen.update(appname=appname, appauthor=appauthor, roaming=roaming)
        return "C:\\Users\\José\\AppData\\Local\\mockint"

    monkeypatch.setattr(platformdirs, "user_data_dir", fake_dir)
    assert str(user_data_dir(System.WINDOWS)) == "C:\\Users\\José\\AppData\\Local\\mockint"
    assert seen == {"appname": "mockint", "appauthor": False, "roaming": False}


def test_the_home_setting_still_wins_over_every_os_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MOCKINT_HOME", str(tmp_path / "mine"))
    monkeypatch.delenv("MOCKINT_MODEL_CACHE")
    assert paths.home_dir() == tmp_path / "mine" and paths.model_cache_dir() == tmp_path / "mine/models"


def test_on_windows_a_non_ascii_model_cache_moves_to_program_data() -> None:
    default = Path(str(PureWindowsPath("C:/Users/José/AppData/Local/mockint/models")))
    moved = ascii_model_cache(default, System.WINDOWS, "C:\\ProgramData")
    assert str(moved).isascii() and str(moved).endswith("mockint/models")
    assert ascii_model_cache(Path("C:/Users/Ann/models"), System.WINDOWS, "C:\\ProgramData") == Path("C:/Users/Ann/models")
    assert ascii_model_cache(default, System.MACOS, "C:\\ProgramData") == default
    assert ascii_model_cache(default, System.WINDOWS, "C:\\Données") == default


def test_each_os_names_its_own_microphone_setting_and_voice_fix() -> None:
    assert "Privacy & Security > Microphone" in microphone_permission(System.MACOS)
    assert "desktop apps" in microphone_permission(System.WINDOWS)
    assert "brew" not in install_hint("voice", System.MACOS)  # macOS speaks with its own NSSpeechSynthesizer
    assert install_hint("portaudio", System.MACOS) == "brew install portaudio"
    assert "vc_redist" in install_hint("msvc", System.WINDOWS) and install_hint("msvc", System.LINUX) == ""


def test_on_windows_mme_is_preferred_over_wasapi_and_unknown_host_apis_come_last() -> None:
    names = ["Windows WASAPI", "MME", "Windows DirectSound", "Something Else"]
    assert sorted(names, key=lambda n: host_api_rank(n, System.WINDOWS)) == [
        "MME", "Windows DirectSound", "Windows WASAPI", "Something Else"]
