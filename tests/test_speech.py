"""Speech that cannot hang or crash: pyttsx3 faked to hang, raise or report errors (as NSSpeechSynthesizer and
SAPI do), the watchdog's deadline, and the fallback speaker in a child process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakePyttsx3, FakeSpeaker

from mockint.errors import DeviceError
from mockint.platforms import System
from mockint.speech import CommandSpeaker, EngineThread, GuardedSpeaker, fallback_command, open_voice, speaking_timeout_s
from mockint.voice import Pyttsx3Speaker

DEADLINE_S = 0.3  # short, so a hang costs the test a third of a second


@pytest.fixture
def tts(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePyttsx3]:
    fake = FakePyttsx3()
    monkeypatch.setitem(sys.modules, "pyttsx3", fake)
    yield fake
    fake.release.set()  # let a hung engine thread end


def _recorder(path: Path) -> CommandSpeaker:
    """A fallback that is a real child process, writing what it was given to speak into `path`."""
    script = f"import sys; open({str(path)!r}, 'a', encoding='utf-8').write(sys.stdin.read() + '\\n')"
    return CommandSpeaker([sys.executable, "-c", script])


def test_the_engine_speaks_through_its_own_thread(tts: FakePyttsx3) -> None:
    Pyttsx3Speaker(driver="nsss", timeout_s=5).say("Tell me about a conflict.")
    assert tts.said == ["Tell me about a conflict."]


def test_a_hanging_engine_is_a_device_error_at_its_deadline_and_stays_stuck(tts: FakePyttsx3) -> None:
    tts.hang = True
    speaker = Pyttsx3Speaker(driver="nsss", timeout_s=DEADLINE_S)
    with pytest.raises(DeviceError, match="did not finish speaking within 0.3 s"):
        speaker.say("Tell me about a conflict.")
    with pytest.raises(DeviceError, match="stuck"):
        speaker.say("The next question.")


def test_an_error_the_engine_only_reports_as_an_event_is_raised(tts: FakePyttsx3) -> None:
    tts.event_error = OSError("SAPI: the audio device is busy")
    with pytest.raises(DeviceError, match="OSError: SAPI: the audio device is busy"):
        Pyttsx3Speaker(driver="sapi5", timeout_s=5).say("hello")


def test_a_run_loop_that_raises_is_a_device_error(tts: FakePyttsx3) -> None:
    tts.say_error = RuntimeError("run loop already started")
    with pytest.raises(DeviceError, match="run loop already started"):
        Pyttsx3Speaker(driver="nsss", timeout_s=5).say("hello")


def test_listing_sapi_voices_that_raises_value_error_is_one_line(tts: FakePyttsx3) -> None:
    tts.voices_error = ValueError("invalid literal for int() with base 16: ''")
    with pytest.raises(DeviceError, match="not available .*ValueError.*--no-voice"):
        Pyttsx3Speaker(voice="Zira", driver="sapi5", timeout_s=5)


def test_a_com_error_is_one_line_too(tts: FakePyttsx3, monkeypatch: pytest.MonkeyPatch) -> None:
    class COMError(Exception):  # comtypes.COMError, which only exists on Windows
        pass

    monkeypatch.setitem(sys.modules, "comtypes", type(sys)("comtypes"))
    monkeypatch.setattr(sys.modules["comtypes"], "COMError", COMError, raising=False)
    tts.voices_error = COMError(-2147221164, "Class not registered")
    with pytest.raises(DeviceError, match="COMError"):
        Pyttsx3Speaker(voice="Zira", driver="sapi5", timeout_s=5)


def test_after_a_hang_the_fallback_speaks_every_later_text(tts: FakePyttsx3, tmp_path: Path) -> None:
    tts.hang = True
    heard = tmp_path / "fallback.txt"
    speaker = GuardedSpeaker(Pyttsx3Speaker(driver="nsss", timeout_s=DEADLINE_S), _recorder(heard))
    speaker.say("First question.")
    speaker.say("A probe.")
    assert heard.read_text(encoding="utf-8").splitlines() == ["First question.", "A probe."]
    assert speaker.primary_error is not None and "did not finish" in str(speaker.primary_error)


def test_an_engine_that_cannot_start_leaves_the_fallback(tmp_path: Path) -> None:
    def broken() -> FakeSpeaker:
        raise DeviceError("Text-to-speech engine 'nsss' is not available.")

    heard = tmp_path / "fallback.txt"
    speaker = open_voice(170, system=System.LINUX, start=broken)
    speaker._fallback = _recorder(heard)  # whatever this machine has, speak into the file
    speaker.say("Question.")
    assert heard.read_text(encoding="utf-8") == "Question.\n"


def test_a_named_voice_that_does_not_exist_is_reported_not_hidden_by_the_fallback() -> None:
    def unknown() -> FakeSpeaker:
        raise DeviceError("Voice 'klingon' is not installed.")

    with pytest.raises(DeviceError, match="klingon"):
        open_voice(170, "klingon", system=System.LINUX, start=unknown)


def test_without_a_fallback_a_failing_engine_is_a_device_error() -> None:
    class Broken:
        def say(self, text: str) -> None:
            raise DeviceError("Text-to-speech failed while speaking.")

    with pytest.raises(DeviceError, match="failed while speaking"):
        GuardedSpeaker(Broken(), None).say("hello")


def test_a_fallback_that_overruns_is_killed_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mockint.speech.speaking_timeout_s", lambda text, rate_wpm=170: 0.5)
    stuck = CommandSpeaker([sys.executable, "-c", "import time; time.sleep(30)"])
    with pytest.raises(DeviceError, match="did not finish within"):
        stuck.say("hello")


def test_a_missing_fallback_program_is_a_device_error() -> None:
    with pytest.raises(DeviceError, match="Cannot run 'no-such-say-program'"):
        CommandSpeaker(["no-such-say-program"]).say("hello")


def test_each_system_has_its_own_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    assert fallback_command(System.MACOS, 170) == ["say", "-r", "170"]
    windows = fallback_command(System.WINDOWS)
    assert windows is not None and "System.Speech" in windows[-1] and windows[0].endswith("powershell")
    assert fallback_command(System.LINUX, 150) == ["espeak-ng", "-s", "150", "--stdin"]
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert fallback_command(System.MACOS) is None and fallback_command(System.WINDOWS) is None


def test_a_longer_text_gets_a_longer_deadline() -> None:
    assert speaking_timeout_s("word " * 170, 170) == pytest.approx(130.0)
    assert speaking_timeout_s("", 170) == 10.0


def test_the_engine_thread_passes_errors_and_values_back() -> None:
    thread = EngineThread()
    assert thread.call(lambda: 42, 5, "answering") == 42
    with pytest.raises(KeyError):
        thread.call(lambda: {}["missing"], 5, "looking up")
