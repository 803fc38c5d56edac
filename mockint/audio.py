"""Audio as data: `Recording` (16-bit mono PCM bytes), WAV read/write, and decoding any file to it.

Recording devices live in recorder.py and speech recognition in asr.py; this module only moves samples.
"""

from __future__ import annotations

from dataclasses import dataclass

SAMPLE_RATE_HZ = 16_000
SAMPLE_WIDTH_BYTES = 2


@dataclass(frozen=True, slots=True)
class Recording:
    """16-bit little-endian mono PCM, which is what webrtcvad takes and Whisper wants (at 16 kHz)."""

    pcm: bytes
    sample_rate_hz: int = SAMPLE_RATE_HZ

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / (SAMPLE_WIDTH_BYTES * self.sample_rate_hz)
