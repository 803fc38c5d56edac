"""--input-device NAME on a machine that lists one microphone under several host APIs (Windows: MME,
DirectSound, WASAPI, WDM-KS), with sounddevice faked as Windows lists devices."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fakes import FakeSoundDevice

from mockint.devices import choose_input, stream_settings
from mockint.errors import DeviceError
from mockint.platforms import System
from mockint.recorder import SoundDeviceMic

APIS = ("MME", "Windows DirectSound", "Windows WASAPI", "Windows WDM-KS")


def _device(index: int, name: str, api: int, inputs: int = 2) -> dict[str, object]:
    return {"index": index, "name": name, "hostapi": api, "max_input_channels": inputs, "max_output_channels": 0}


@pytest.fixture
def windows() -> FakeSoundDevice:
    return FakeSoundDevice(hostapis=APIS, devices=[
        _device(0, "Microsoft Sound Mapper - Input", 0),
        _device(1, "Microphone Array (Realtek(R) Audio)", 0),
        _device(2, "Headset Microphone (Jabra Evolve2)", 0),
        _device(3, "Microphone Array (Realtek(R) Audio)", 1),
        _device(4, "Microphone Array (Realtek(R) Audio)", 2),
        _device(5, "Speakers (Realtek(R) Audio)", 2, inputs=0),
        _device(6, "Microphone Array (Realtek(R) Audio)", 3),
    ])  # fmt: skip


def test_one_microphone_under_several_host_apis_is_one_choice_the_simplest_api(windows: FakeSoundDevice) -> None:
    assert choose_input(windows, "realtek", System.WINDOWS) == 1  # MME, which converts to 16 kHz for us


def test_a_name_matching_different_microphones_lists_them(windows: FakeSoundDevice) -> None:
    with pytest.raises(DeviceError, match=r"matches several microphones .*1: Microphone Array.*\(MME\).*Jabra"):
        choose_input(windows, "microphone", System.WINDOWS)


def test_a_name_with_its_host_api_an_index_or_no_match_is_passed_on(windows: FakeSoundDevice) -> None:
    assert choose_input(windows, "Microphone Array (Realtek(R) Audio), Windows WASAPI") == (
        "Microphone Array (Realtek(R) Audio), Windows WASAPI")
    assert choose_input(windows, 4) == 4 and choose_input(windows, None) is None
    assert choose_input(windows, "no such mic") == "no such mic"


def test_a_wasapi_device_is_opened_with_conversion_to_16_khz(windows: FakeSoundDevice) -> None:
    settings = stream_settings(windows, 4)
    assert settings["extra_settings"].auto_convert is True
    assert stream_settings(windows, 1) == {} and stream_settings(windows, None) == {}


def test_the_recorder_opens_the_chosen_device(windows: FakeSoundDevice, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", windows)
    monkeypatch.setattr(sys, "platform", "win32")
    windows.blocks = [b"\x01\x00" * 480] * 10  # then the stream stalls: the test ends on that error
    mic = SoundDeviceMic(device="Realtek")
    mic.STALL_S = 0.2
    with pytest.raises(DeviceError, match="stopped delivering audio"):
        mic.record(tmp_path / "a.wav", max_s=30, on_piece=lambda p: None)
    assert windows.opened[0]["device"] == 1 and windows.opened[0]["samplerate"] == 16_000
