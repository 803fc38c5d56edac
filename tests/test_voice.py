"""The Speaker seam: printing, and the pyttsx3 adapter's errors and settings (speech itself is checked
through the virtual speaker in test_audio_e2e.py)."""

from __future__ import annotations

import shutil

import pytest
from fakes import FakeSpeaker

from mockint.errors import DeviceError
from mockint.voice import PrintSpeaker, Pyttsx3Speaker

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("aplay") is None, reason="espeak-ng/aplay not installed"
)


def test_print_speaker_writes_the_text_then_passes_it_on() -> None:
    written: list[str] = []
    voice = FakeSpeaker()
    speaker = PrintSpeaker(written.append, then=voice)
    speaker.say("Tell me about a time you disagreed.")
    assert written == ["Tell me about a time you disagreed."]
    assert voice.said == written


def test_print_speaker_without_a_voice_only_writes() -> None:
    written: list[str] = []
    PrintSpeaker(written.append).say("hello")
    assert written == ["hello"]


def test_an_unknown_tts_driver_is_a_device_error_that_suggests_no_voice() -> None:
    with pytest.raises(DeviceError, match="--no-voice"):
        Pyttsx3Speaker(driver="no_such_tts_driver")


@needs_espeak
def test_a_voice_is_found_by_its_id_or_part_of_its_name() -> None:
    speaker = Pyttsx3Speaker()
    voices = speaker._engine.getProperty("voices")
    some = voices[len(voices) // 2]
    assert speaker._find_voice(str(some.id).upper()) == some.id
    assert "en" in speaker._find_voice("english").casefold()


@needs_espeak
def test_a_voice_that_is_not_installed_is_a_device_error_naming_some_that_are() -> None:
    with pytest.raises(DeviceError, match="not installed. Some that are:"):
        Pyttsx3Speaker(voice="klingon-imperial-xx")


def test_a_voice_that_breaks_mid_interview_is_dropped_and_the_text_still_shown() -> None:
    class BrokenVoice:
        def __init__(self) -> None:
            self.calls = 0

        def say(self, text: str) -> None:
            self.calls += 1
            raise DeviceError("Text-to-speech failed while speaking (RuntimeError: run loop).")

    written: list[str] = []
    voice = BrokenVoice()
    speaker = PrintSpeaker(written.append, then=voice)
    speaker.say("first")
    speaker.say("second")
    assert written == ["first", "second"]
    assert voice.calls == 1 and speaker.voice_error is not None
