"""`mockint doctor`: what the microphone heard, whether the model is ready, which voices are English."""

from __future__ import annotations

import math
import struct
from types import SimpleNamespace

from mockint.doctor import CheckStatus, Heard, heard_from, judge_heard
from mockint.voice import is_english

RATE = 16_000


def _tone(seconds: float, amplitude: int) -> bytes:
    n = int(seconds * RATE)
    return struct.pack(f"<{n}h", *(int(amplitude * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(n)))


def test_a_second_of_exact_zeros_is_a_muted_or_forbidden_microphone_and_names_the_setting() -> None:
    heard = heard_from(_tone(0.5, 3000) + b"\x00\x00" * int(1.5 * RATE), RATE)
    assert heard.zero_run_s == 1.5 and heard.seconds == 2.0
    mac = judge_heard(heard, "default: MacBook Microphone", "darwin")
    assert mac.status is CheckStatus.FAIL and "exact silence" in mac.detail and "muted" in mac.detail
    assert "Privacy & Security → Microphone" in mac.fix
    assert "Privacy & security → Microphone" in judge_heard(heard, "mic", "win32").fix
    assert "alsamixer" in judge_heard(heard, "mic", "linux").fix


def test_the_level_heard_is_reported() -> None:
    loud = judge_heard(heard_from(_tone(2.0, 8000), RATE), "default: USB mic")
    assert loud.status is CheckStatus.OK and "heard sound" in loud.detail and "dBFS" in loud.detail
    assert "loudest -15 dBFS" in loud.detail  # a sine of amplitude 8000: -15 dBFS RMS in its loudest 0.1 s
    faint = judge_heard(Heard(2.0, 0.0, 0.01), "default: USB mic")
    assert faint.status is CheckStatus.WARN and "almost nothing" in faint.detail and faint.fix


def test_only_english_voices_count_as_english() -> None:
    def v(id_: str, name: str, languages: list[object]) -> SimpleNamespace:
        return SimpleNamespace(id=id_, name=name, languages=languages)

    english = [v("gmw/en-us", "English (America)", ["en-us"]), v("x", "Daniel", [b"\x05en-gb"]),
               v("com.apple.voice.compact.en-US.Samantha", "Samantha", ["en_US"]),
               v(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_ZIRA_11.0", "Zira", [])]
    others = [v("ine/hy", "Armenian (East Armenia)", ["hy"]), v("inc/bn", "Bengali", ["bn"]),
              v("sit/cmn", "Chinese (Mandarin, latin as English)", ["cmn"]), v("gmw/af", "Afrikaans", ["af"])]  # fmt: skip
    assert [is_english(x) for x in english] == [True] * 4
    assert [is_english(x) for x in others] == [False] * 4
