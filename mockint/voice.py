"""Saying things to the candidate: the `Speaker` seam, a text-to-speech adapter (pyttsx3) and a printer.

pyttsx3 is imported inside `Pyttsx3Speaker.__init__`. Recording is in recorder.py; nothing here listens.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol

from mockint.errors import DeviceError
from mockint.platforms import install_hint
from mockint.speech import START_TIMEOUT_S, EngineThread, engine_errors, speaking_timeout_s

log = logging.getLogger(__name__)

# A calm interviewer's pace in words per minute. pyttsx3 must be given a rate explicitly: with pyttsx3
# 2.99 say() sometimes speaks at espeak's 175 instead of its own 200 (../shared/audio/README.md).
DEFAULT_RATE_WPM = 170


def is_english(voice: Any) -> bool:
    """Whether a pyttsx3 voice speaks English, by its language codes ("en", "en-gb", b"\\x05en-us",
    "en_US"), else by its id ("gmw/en-us", "..._EN-US_ZIRA"): not by a name that merely contains "en"
    (Armenian, Bengali, "Chinese (Mandarin, latin as English)")."""
    codes = [c.decode("ascii", "ignore") if isinstance(c, bytes) else str(c) for c in getattr(voice, "languages", None) or ()]
    if codes:
        return any(re.fullmatch(r"[\x00-\x1f]*en([-_].*)?", c, re.IGNORECASE) for c in codes)
    return bool(re.search(r"(^|[/\\._])en([-_]|$)", str(getattr(voice, "id", "")), re.IGNORECASE))


class Speaker(Protocol):
    def say(self, text: str) -> None:
        """Present `text` to the candidate and return when it has been said."""
        ...


class PrintSpeaker:
    """Writes each text (through `write`, e.g. a console's print), then hands it to `then` if given.

    If `then` fails with DeviceError (the voice engine broke mid-interview) the interview carries on in
    text: the voice is dropped and the error kept in `voice_error`.
    """

    def __init__(self, write: Callable[[str], None], then: Speaker | None = None) -> None:
        self._write = write
        self._then = then
        self.voice_error: DeviceError | None = None

    def say(self, text: str) -> None:
        self._write(text)
        if self._then is None:
            return
        try:
            self._then.say(text)
        except DeviceError as e:
            log.warning("%s Carrying on in text.", e)
            self.voice_error = e
            self._then = None


class Pyttsx3Speaker:
    """Speaks through the platform's engine (espeak-ng on Linux, SAPI5 on Windows, NSSpeech on macOS).

    Args:
        rate_wpm: speaking rate in words per minute.
        voice: a voice id or (part of) a voice name, case-insensitive; None keeps the engine's default.
        driver: a pyttsx3 driver name; None picks the platform's.
        timeout_s: the deadline of every engine call; None: speech.START_TIMEOUT_S to start, and
            speech.speaking_timeout_s for each text.
    Raises DeviceError when no engine can be started or the voice does not exist.
    """

    def __init__(
        self, rate_wpm: int = DEFAULT_RATE_WPM, voice: str | None = None, driver: str | None = None, *, timeout_s: float | None = None
    ) -> None:
        if sys.platform.startswith("linux") and driver in (None, "espeak") and shutil.which("aplay") is None:
            # pyttsx3's espeak driver plays through aplay; without it speech is lost without an error.
            raise DeviceError(
                "Text-to-speech cannot play audio: 'aplay' is missing. Install alsa-utils "
                "(e.g. 'sudo apt install alsa-utils espeak-ng'), or use --no-voice."
            )
        self._done = threading.Event()
        self._errors: list[BaseException] = []  # pyttsx3 reports its driver's errors as events, not raises
        self.rate_wpm = rate_wpm
        self.timeout_s = timeout_s
        # Every engine call runs on the engine's own thread, with a deadline (speech.py): a hang is an error.
        self._thread = EngineThread()
        self._thread.call(lambda: self._start(rate_wpm, voice, driver), timeout_s or START_TIMEOUT_S, "starting")

    def _start(self, rate_wpm: int, voice: str | None, driver: str | None) -> None:
        try:
            import pyttsx3

            self._engine: Any = pyttsx3.init(driverName=driver)
            self._engine.setProperty("rate", int(rate_wpm))
            if voice is not None:
                self._engine.setProperty("voice", self._find_voice(voice))
            self._engine.connect("finished-utterance", self._on_finished)
            self._engine.connect("error", self._on_error)
        except DeviceError:
            raise
        except engine_errors() as e:
            raise DeviceError(
                f"Text-to-speech engine {driver or 'default'!r} is not available ({type(e).__name__}: {e}). "
                f"To fix it, {install_hint('voice')}, or use --no-voice; run 'mockint doctor' for details."
            ) from e

    def _find_voice(self, wanted: str) -> str:
        voices = list(self._engine.getProperty("voices"))
        key = wanted.casefold()
        for v in voices:
            if key in (str(v.id).casefold(), str(v.name).casefold()):
                return str(v.id)
        # Part of a name: prefer names that start with it, then the shortest ("English" over
        # "Chinese (Mandarin, latin as English)").
        partial = [v for v in voices if key in str(v.name).casefold() or key in str(v.id).casefold()]
        if partial:
            best = min(partial, key=lambda v: (not str(v.name).casefold().startswith(key), len(str(v.name))))
            return str(best.id)
        some = ", ".join(str(v.name) for v in voices[:8])
        raise DeviceError(f"Voice {wanted!r} is not installed. Some that are: {some}. Omit --voice for the default.")

    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        self._done.set()

    def _on_error(self, name: str | None = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("the engine reported an error"))

    def say(self, text: str) -> None:
        timeout_s = self.timeout_s or speaking_timeout_s(text, self.rate_wpm)
        self._thread.call(lambda: self._say(text), timeout_s, "speaking")

    def _say(self, text: str) -> None:
        self._done.clear()
        self._errors.clear()
        try:
            self._engine.say(text)
            self._engine.runAndWait()
        except engine_errors() as e:
            raise DeviceError(f"Text-to-speech failed while speaking ({type(e).__name__}: {e}).") from e
        if self._errors:
            first = self._errors[0]
            raise DeviceError(f"Text-to-speech failed while speaking ({type(first).__name__}: {first}).") from first
        # pyttsx3 2.99's espeak driver can return from the first runAndWait() before the audio has
        # played; the finished-utterance event is the reliable end (../shared/audio/README.md).
        if not self._done.wait(timeout=5.0 + 0.6 * len(text.split())):
            log.warning("text-to-speech did not report the end of %r; carrying on", text[:40])
