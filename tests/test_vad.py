from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mockint.audio import Recording, load_audio
from mockint.vad import speech_regions, voiced_regions


def test_voiced_regions_cover_the_speech_and_not_the_silence_around_it(tmp_path: Path) -> None:
    wav = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "I wrote the fix and shipped it."], check=True)
    speech = load_audio(wav)
    silence = b"\x00\x00" * 16_000 * 2
    padded = Recording(silence + speech.pcm + silence)
    regions = voiced_regions(padded)
    assert regions, "no speech found"
    assert regions[0][0] >= 1.8 and regions[-1][1] <= 2.0 + speech.duration_s + 0.2
    voiced_s = sum(b - a for a, b in regions)
    assert 0.5 * speech.duration_s < voiced_s <= speech.duration_s + 0.1


def test_silence_has_no_voiced_regions() -> None:
    assert voiced_regions(Recording(b"\x00\x00" * 16_000)) == ()


def test_speech_regions_from_vad_flags() -> None:
    flags = [False, True, True, False, False, True, True, True]
    assert [pytest.approx(r) for r in speech_regions(flags, 0.03)] == [(0.03, 0.09), (0.15, 0.24)]
    assert speech_regions([], 0.03) == ()
    assert speech_regions([True], 0.5) == ((0.0, 0.5),)
