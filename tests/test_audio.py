from __future__ import annotations

import math
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from mockint.audio import SAMPLE_RATE_HZ, Recording, WavAppender, load_audio, read_wav, write_wav
from mockint.errors import AudioError

SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "audio-samples"


def tone(seconds: float, rate: int = SAMPLE_RATE_HZ) -> Recording:
    n = int(seconds * rate)
    pcm = struct.pack(f"<{n}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(n)))
    return Recording(pcm, rate)


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    rec = tone(0.5)
    write_wav(tmp_path / "a.wav", rec)
    assert read_wav(tmp_path / "a.wav") == rec
    with wave.open(str(tmp_path / "a.wav")) as w:  # a standard reader agrees
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 16000, 8000)


def test_appender_writes_a_valid_wav(tmp_path: Path) -> None:
    rec = tone(1.0)
    with WavAppender(tmp_path / "a.wav") as w:
        for i in range(0, len(rec.pcm), 960):
            w.append(rec.pcm[i : i + 960])
    assert read_wav(tmp_path / "a.wav") == rec


def test_half_written_wav_is_repaired_on_read(tmp_path: Path) -> None:
    rec = tone(2.0)
    w = WavAppender(tmp_path / "a.wav", header_every_s=0.5)
    w.append(rec.pcm[:40_000])  # 1.25 s: the header was last updated at 1.0 s
    # no close(): as after a crash. The header undercounts; the data on disk is all there.
    back = read_wav(tmp_path / "a.wav")
    w.close()
    assert back.pcm == rec.pcm[:40_000]


def test_wav_with_zero_sizes_in_header_is_repaired(tmp_path: Path) -> None:
    rec = tone(0.3)
    path = tmp_path / "a.wav"
    write_wav(path, rec)
    raw = bytearray(path.read_bytes())
    raw[4:8] = raw[40:44] = b"\x00\x00\x00\x00"
    path.write_bytes(bytes(raw))
    assert read_wav(path) == rec


def test_not_a_wav_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_text("hello")
    with pytest.raises(AudioError, match="x.wav' is not a WAV"):
        read_wav(path)


def test_empty_wav_is_a_clear_error(tmp_path: Path) -> None:
    write_wav(tmp_path / "e.wav", Recording(b""))
    with pytest.raises(AudioError, match="contains no audio"):
        load_audio(tmp_path / "e.wav")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="does not exist"):
        load_audio(tmp_path / "missing.flac")


def test_garbage_with_an_audio_extension_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(AudioError, match="Cannot decode"):
        load_audio(path)


def test_stereo_44k_is_converted_to_16k_mono(tmp_path: Path) -> None:
    path = tmp_path / "s.wav"
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", str(path), "synth", "1.0", "sine", "440"], check=True)
    rec = load_audio(path)
    assert rec.sample_rate_hz == SAMPLE_RATE_HZ
    assert abs(rec.duration_s - 1.0) < 0.01


@pytest.mark.parametrize("name", ["jfk.flac", "multilingual.mp3", "voxconverse_aepyx_8k.wav"])
def test_flac_mp3_and_8k_wav_load_at_16k(name: str) -> None:
    path = SHARED_SAMPLES / name
    if not path.exists():
        pytest.skip("shared audio samples not present")
    rec = load_audio(path)
    assert rec.sample_rate_hz == SAMPLE_RATE_HZ and rec.duration_s > 10
