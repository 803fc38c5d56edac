"""Which input device `--input-device NAME` means, and how to open it.

PortAudio lists one microphone once per host API (on Windows under MME, DirectSound, WASAPI and WDM-KS), and
sounddevice refuses a name that matches several. The same microphone under several host APIs is one choice:
the host API that opens at 16 kHz mono most simply wins (platforms.host_api_rank). Different microphones
matching one name are an error listing them. WASAPI (shared mode) only opens at the mixer's rate unless
asked to convert, so a WASAPI device is opened with auto_convert.
"""

from __future__ import annotations

from typing import Any

from mockint.errors import DeviceError
from mockint.platforms import System, host_api_rank

WASAPI = "Windows WASAPI"


def _inputs(sd: Any) -> list[tuple[int, str, str]]:
    """(index, device name, host API name) of every device that can record."""
    hostapis = sd.query_hostapis()
    found = []
    for index, device in enumerate(sd.query_devices()):
        if int(device.get("max_input_channels", 0)) > 0:
            found.append((int(device.get("index", index)), str(device["name"]), str(hostapis[int(device["hostapi"])]["name"])))
    return found


def choose_input(sd: Any, wanted: str | int | None, system: System | None = None) -> str | int | None:
    """The device to open for `wanted`: None (the default) and indexes as given; a name that matches one
    microphone (under one or more host APIs) becomes the index of its best host API.

    A name PortAudio can resolve on its own ('Mic, MME') and a name that matches nothing are passed on, so
    sounddevice's own lookup and message apply. Raises DeviceError when the name matches several microphones.
    """
    if wanted is None or isinstance(wanted, int):
        return wanted
    key = wanted.casefold()
    matches = [d for d in _inputs(sd) if key in d[1].casefold() or key == f"{d[1]}, {d[2]}".casefold()]
    names = {name for _, name, _ in matches}
    if not matches or any(key == f"{name}, {api}".casefold() for _, name, api in matches):
        return wanted
    if len(names) > 1:
        shown = "; ".join(f"{i}: {name} ({api})" for i, name, api in matches[:6])
        raise DeviceError(f"Input device {wanted!r} matches several microphones ({shown}). "
                          "Pass more of the name, or its number, with --input-device.")
    return min(matches, key=lambda d: (host_api_rank(d[2], system), d[0]))[0]


def stream_settings(sd: Any, device: str | int | None) -> dict[str, Any]:
    """Extra keyword arguments for sd.RawInputStream on `device`: WASAPI is asked to convert to 16 kHz."""
    if device is None or not hasattr(sd, "WasapiSettings"):
        return {}
    try:
        info = sd.query_devices(device, "input")
        api = str(sd.query_hostapis(int(info["hostapi"]))["name"])
    except (sd.PortAudioError, ValueError, KeyError):
        return {}
    return {"extra_settings": sd.WasapiSettings(auto_convert=True)} if api == WASAPI else {}
