"""A microphone without permission records exact zeros with no error (macOS; a muted source on Linux): the
recorder stops after a second of them with a message naming the OS's setting, and `doctor` records half a
second and reports its level. sounddevice is faked; one test uses the real stack's virtual microphone."""

from __future__ import annotations

import math
import sys
from array import array
from pathlib import Path

import pytest
from audio_helpers import need_virtual_audio, silence
from fakes import FakeSoundDevice

from mockint import doctor
from mockint.doctor import CheckStatus
from mockint.errors import DeviceError
from mockint.miclevel import DigitalSilence, measure, silent_limit_s
from mockint.recorder import SoundDeviceMic

BLOCK_BYTES = 960  # 30 ms at 16 kHz, 16-bit


def tone(seconds: float, amplitude: float) -> bytes:
    n = int(seconds * 16_000)
    return array("h", (round(amplitude * 32767 * math.sin(2 * math.pi * 250 * i / 16_000)) for i in range(n))).tobytes()


def _blocks(pcm: bytes) -> list[bytes]:
    return [pcm[i : i + BLOCK_BYTES] for i in range(0, len(pcm), BLOCK_BYTES)]


@pytest.fixture
def zeros(monkeypatch: pytest.MonkeyPatch) -> FakeSoundDevice:
    fake = FakeSoundDevice(_blocks(silence(2.0)))
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    monkeypatch.setenv("MOCKINT_SILENT_MIC_S", "1")
    return fake


def test_a_second_of_exact_zeros_is_digital_silence_but_a_quiet_room_is_not() -> None:
    watch = DigitalSilence(1.0)
    assert not any(watch.feed(b) for b in _blocks(silence(0.96)))
    assert watch.feed(silence(0.06))
    quiet_room = DigitalSilence(1.0)
    assert not any(quiet_room.feed(b) for b in _blocks(silence(0.5) + tone(0.01, amplitude=0.0001) + silence(2.0)))


def test_the_check_can_be_turned_off_and_bad_values_keep_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKINT_SILENT_MIC_S", "0")
    assert silent_limit_s() == 0 and not DigitalSilence(0).feed(silence(5.0))
    monkeypatch.setenv("MOCKINT_SILENT_MIC_S", "soon")
    assert silent_limit_s() == 1.0


@pytest.mark.parametrize(("platform", "setting"), [
    ("darwin", "Privacy & Security > Microphone"),
    ("win32", "Let desktop apps access your microphone"),
    ("linux", "not muted"),
])  # fmt: skip
def test_a_microphone_feeding_zeros_stops_the_turn_naming_the_os_setting(
    zeros: FakeSoundDevice, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, setting: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(DeviceError) as caught:
        SoundDeviceMic().record(tmp_path / "a.wav", max_s=30, on_piece=lambda p: None)
    message = str(caught.value)
    assert "exact silence" in message and setting in message and "\n" not in message


def test_windows_device_unavailable_names_the_privacy_switch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeSoundDevice(open_error="Error opening RawInputStream: Device unavailable [PaErrorCode -9985]")
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(DeviceError, match="-9985.*Let desktop apps access your microphone"):
        SoundDeviceMic().record(tmp_path / "a.wav", max_s=30, on_piece=lambda p: None)


def test_doctor_hears_a_tone(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSoundDevice(_blocks(tone(1.0, amplitude=0.1)))
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    monkeypatch.setattr(doctor, "LISTEN_S", 0.5)
    check = doctor.check_microphone()
    assert check.status is CheckStatus.OK and "heard sound" in check.detail, check
    assert fake.opened[0]["samplerate"] == 16_000


def test_doctor_fails_on_digital_silence_with_the_permission_to_fix(zeros: FakeSoundDevice, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    check = doctor.check_microphone()
    assert check.status is CheckStatus.FAIL and "exact silence" in check.detail
    assert "Privacy & Security → Microphone" in check.fix


def test_doctor_reports_a_stream_that_delivers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", FakeSoundDevice([]))
    monkeypatch.setattr(doctor, "LISTEN_S", 0.2)
    check = doctor.check_microphone()
    assert check.status is CheckStatus.FAIL and "no audio" in check.detail


def test_a_level_is_measured_in_dbfs() -> None:
    sample = measure(tone(0.5, amplitude=0.5))
    assert sample.peak_dbfs == pytest.approx(-6.0, abs=0.1) and sample.rms_dbfs == pytest.approx(-9.0, abs=0.1)
    assert measure(silence(0.5)).is_digital_silence


@pytest.mark.audio
def test_the_real_virtual_microphone_with_nothing_playing_is_reported_as_silent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    need_virtual_audio()
    monkeypatch.setenv("MOCKINT_SILENT_MIC_S", "1")
    with pytest.raises(DeviceError, match="exact silence.*not muted"):
        SoundDeviceMic().record(tmp_path / "a.wav", max_s=10, on_piece=lambda p: None)
