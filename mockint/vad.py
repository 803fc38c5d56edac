"""Voice activity of a whole recording: webrtcvad on 30 ms frames, as (start_s, end_s) voiced stretches.

The live recorder runs the same detector frame by frame (recorder.py); this is for audio already on disk.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockint.audio import SAMPLE_WIDTH_BYTES, Recording

FRAME_MS = 30  # webrtcvad takes 10, 20 or 30 ms frames
DEFAULT_AGGRESSIVENESS = 2  # 0 keeps most sound as speech .. 3 strictest; 2 is what the recorder uses


def voiced_regions(recording: Recording, aggressiveness: int = DEFAULT_AGGRESSIVENESS) -> tuple[tuple[float, float], ...]:
    import webrtcvad

    vad = webrtcvad.Vad(aggressiveness)
    rate = recording.sample_rate_hz
    frame_bytes = rate * FRAME_MS // 1000 * SAMPLE_WIDTH_BYTES
    pcm = recording.pcm
    flags = [vad.is_speech(pcm[i : i + frame_bytes], rate) for i in range(0, len(pcm) - frame_bytes + 1, frame_bytes)]
    return speech_regions(flags, FRAME_MS / 1000)


def speech_regions(flags: Sequence[bool], frame_s: float) -> tuple[tuple[float, float], ...]:
    """Per-frame voice-activity flags (webrtcvad, one per `frame_s`) as merged (start_s, end_s) regions."""
    regions: list[tuple[float, float]] = []
    start: int | None = None
    for k, voiced in enumerate(flags):
        if voiced and start is None:
            start = k
        elif not voiced and start is not None:
            regions.append((start * frame_s, k * frame_s))
            start = None
    if start is not None:
        regions.append((start * frame_s, len(flags) * frame_s))
    return tuple(regions)
