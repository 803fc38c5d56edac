"""The terminal around the views, in a real one (tmux): audio-library noise kept off a live line, the pager
for a long walkthrough, and doctor's microphone check on the virtual microphone."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from audio_helpers import STAR_ANSWER, MicFeeder, mockint_cmd, need_virtual_audio, synthesise
from screens import Screen, need_tmux, python_env
from test_screens import _save_screen

from mockint.terminal import is_noise

NOISY = r"""
import os, time
from rich.console import Console
from rich.live import Live
from mockint.terminal import native_stderr_kept_off
err = Console(stderr=True)
with native_stderr_kept_off(err):
    with Live("● 0:00 playing", console=err, auto_refresh=False, transient=False) as live:
        for i in range(1, 6):
            # what ALSA's snd_pcm_recover() writes from C, past Python's sys.stderr
            os.write(2, b"ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred\n")
            live.update(f"● 0:0{i} playing", refresh=True)
            time.sleep(0.05)
    os.write(2, b"a real message from a library\n")
err.print("done")
"""


def test_audio_library_noise_never_reaches_the_screen_but_other_messages_do(tmp_path: Path) -> None:
    need_tmux()
    screen = Screen(tmp_path, [sys.executable, "-c", NOISY], cols=80, rows=24, env=python_env())
    try:
        final = screen.wait_for(lambda r: screen.exit_code(r) is not None, 60, "the script to end")
    finally:
        screen.close()
    text = "\n".join(final)
    assert screen.exit_code(final) == 0, text
    assert "underrun" not in text and "ALSA" not in text
    assert "● 0:05 playing" in text and "a real message from a library" in text and "done" in text
    assert text.count("● 0:0") == 1  # the live line stayed one line


def test_noise_is_told_from_messages() -> None:
    assert is_noise("ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred")
    assert is_noise("Expression 'alsa_snd_pcm_hw_params_set_period_size_near( pcm, hwParams, &alsaPeriodFrames, &dir )' failed in 'src/hostapi/alsa/pa_linux_alsa.c', line: 924")
    assert is_noise("underrun!!! (at least 12.3 ms long)")
    assert not is_noise("Traceback (most recent call last):")
    assert not is_noise("Warning: no report: disk full")


def test_a_long_walkthrough_opens_in_a_pager_and_ends_with_what_to_do_next(tmp_path: Path) -> None:
    need_tmux()
    screen = Screen(tmp_path, mockint_cmd("questions", "wrong-call-recovery"), cols=80, rows=24,
                    env=python_env(PAGER="less", LESS="-R"))  # fmt: skip
    try:
        first = screen.wait_for(lambda r: any("Describe a Time You Made a Wrong Call" in x for x in r), 60, "the pager")
        time.sleep(0.3)
        first = screen.capture()
        _save_screen("questions-80x24-pager.txt", first)
        assert screen.exit_code(first) is None  # still in the pager: the rest waits for the reader
        screen.keys("q")
        final = screen.wait_for(lambda r: screen.exit_code(r) is not None, 30, "the command to end")
    finally:
        screen.close()
    assert screen.exit_code(final) == 0
    assert any("mockint practice --question wrong-call-recovery" in r for r in final)


def _doctor(folder: Path) -> list[str]:
    """`mockint doctor` run to its end on an 80x24 screen; the screen then."""
    folder.mkdir()
    screen = Screen(folder, mockint_cmd("doctor"), cols=80, rows=24, env=python_env())
    try:
        return screen.wait_for(lambda r: screen.exit_code(r) is not None, 120, "doctor to end")
    finally:
        screen.close()


@pytest.mark.audio
def test_doctor_hears_the_microphone_and_says_when_it_hears_only_zeros(tmp_path: Path) -> None:
    need_virtual_audio()
    need_tmux()
    text = " ".join(" ".join(_doctor(tmp_path / "silent")).split())
    assert "exact silence" in text and "muted" in text and "alsamixer" in text, text
    assert "speech model ready:" in text and "assembled now" not in text

    wav = tmp_path / "talk.wav"
    synthesise([line for _, line in STAR_ANSWER], wav, lead_s=0.2, tail_s=0.5)
    feeder = MicFeeder(wav, timeout_s=120)
    try:
        heard = _doctor(tmp_path / "talking")
    finally:
        feeder.stop()
    _save_screen("doctor-80x24.txt", heard)
    text = " ".join(" ".join(heard).split())
    assert "heard sound" in text and "dBFS" in text, text
    assert "Armenian" not in text and "Bengali" not in text
