"""Audio as data: `Recording` (16-bit mono PCM bytes), WAV read/write, and decoding any file to it.

Recording devices live in recorder.py and speech recognition in asr.py; this module only moves samples.
`WavAppender` writes a WAV while it is being recorded; `read_wav` repairs one whose writer was killed.
"""

from __future__ import annotations

import logging
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from mockint import atomic
from mockint.errors import AudioError

log = logging.getLogger(__name__)

SAMPLE_RATE_HZ = 16_000
SAMPLE_WIDTH_BYTES = 2
_HEADER_BYTES = 44  # canonical RIFF/WAVE header with one fmt and one data chunk, as WavAppender writes


@dataclass(frozen=True, slots=True)
class Recording:
    """16-bit little-endian mono PCM, which is what webrtcvad takes and Whisper wants (at 16 kHz)."""

    pcm: bytes
    sample_rate_hz: int = SAMPLE_RATE_HZ

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / (SAMPLE_WIDTH_BYTES * self.sample_rate_hz)

    @property
    def is_empty(self) -> bool:
        return len(self.pcm) < SAMPLE_WIDTH_BYTES

    def slice(self, start_s: float, end_s: float) -> Recording:
        """The samples between two times (clamped to the recording)."""
        first = max(0, int(start_s * self.sample_rate_hz)) * SAMPLE_WIDTH_BYTES
        last = max(0, int(end_s * self.sample_rate_hz)) * SAMPLE_WIDTH_BYTES
        return Recording(self.pcm[first:last], self.sample_rate_hz)


def _header(data_bytes: int, sample_rate_hz: int) -> bytes:
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data_bytes, b"WAVE",
        b"fmt ", 16, 1, 1, sample_rate_hz, sample_rate_hz * SAMPLE_WIDTH_BYTES, SAMPLE_WIDTH_BYTES, 16,
        b"data", data_bytes,
    )  # fmt: skip


def write_wav(path: Path, recording: Recording) -> None:
    """Write a complete WAV atomically (temporary name, then rename)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(_header(len(recording.pcm), recording.sample_rate_hz))
            f.write(recording.pcm)
            f.flush()
            os.fsync(f.fileno())
        atomic.replace(tmp, path)  # retried while Windows' scanners hold the file
    except BaseException:  # a full disk, Ctrl-C: no half-written file is left behind
        tmp.unlink(missing_ok=True)
        raise


class WavAppender:
    """A WAV file written while it is recorded.

    Every `append` goes straight to the OS (no Python buffering), so a crash or SIGKILL loses nothing
    already appended; the header's sizes are rewritten every `header_every_s` seconds of audio and on
    close. A file left with stale sizes is repaired by `read_wav`.
    """

    def __init__(self, path: Path, sample_rate_hz: int = SAMPLE_RATE_HZ, header_every_s: float = 0.5) -> None:
        self.path = path
        self.sample_rate_hz = sample_rate_hz
        self._f = open(path, "wb", buffering=0)  # noqa: SIM115  (closed in close())
        self._f.write(_header(0, sample_rate_hz))
        self._data_bytes = 0
        self._header_every_bytes = int(header_every_s * sample_rate_hz) * SAMPLE_WIDTH_BYTES
        self._since_header = 0

    @property
    def duration_s(self) -> float:
        return self._data_bytes / (SAMPLE_WIDTH_BYTES * self.sample_rate_hz)

    def append(self, pcm: bytes) -> None:
        self._f.write(pcm)
        self._data_bytes += len(pcm)
        self._since_header += len(pcm)
        if self._since_header >= self._header_every_bytes:
            self._write_sizes()

    def _write_sizes(self) -> None:
        self._f.seek(0)
        self._f.write(_header(self._data_bytes, self.sample_rate_hz))
        self._f.seek(0, os.SEEK_END)
        self._since_header = 0

    def close(self) -> None:
        if self._f.closed:
            return
        self._write_sizes()
        os.fsync(self._f.fileno())
        self._f.close()

    def __enter__(self) -> WavAppender:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _NotPcm16(AudioError):
    """A sound WAV in another encoding (float, 24-bit…): PyAV converts it."""


class _NotRiff(AudioError):
    """No RIFF/WAVE header: perhaps another format named .wav, which PyAV may still read."""


_HEAD_BYTES = 1 << 16  # where a WAV's fmt and data chunks are looked for


def read_wav(path: Path, max_s: float | None = None) -> Recording:
    """Read a 16-bit PCM WAV as mono at its own sample rate (at most its first `max_s` seconds), repairing a
    header left by a killed writer.

    Raises AudioError for a file that is not a sound 16-bit PCM WAV.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD_BYTES)
            size = os.fstat(f.fileno()).st_size
            found = _wav_layout(path, head, size)
            rate, channels, body, data_bytes = found
            frame = SAMPLE_WIDTH_BYTES * channels
            if max_s is not None:
                data_bytes = min(data_bytes, int(max_s * rate) * frame)
            f.seek(body)
            pcm = f.read(data_bytes - data_bytes % frame)
    except OSError as e:
        raise AudioError(f"Cannot read audio file '{path}': {e.strerror}. Check the path.") from e
    return Recording(_to_mono(pcm, channels), rate)


def _wav_layout(path: Path, head: bytes, size: int) -> tuple[int, int, int, int]:
    """(sample rate, channels, offset of the samples, bytes of samples) from the first bytes of a WAV."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise _NotRiff(f"'{path}' is not a WAV file (no RIFF/WAVE header). Pass a WAV, FLAC or MP3 recording.")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(head):
        chunk_id, chunk_bytes = struct.unpack_from("<4sI", head, pos)
        body = pos + 8
        if chunk_id == b"fmt " and body + 16 <= len(head):
            audio_format, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", head, body)
            fmt = (audio_format, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                break
            audio_format, channels, rate, bits = fmt
            if channels < 1 or rate <= 0:
                raise AudioError(f"'{path}' is a damaged WAV ({channels} channels at {rate} Hz in its header). "
                                 "Record it again or pick another file.")
            if audio_format not in (1, 0xFFFE) or bits != 16:
                raise _NotPcm16(f"'{path}' is a WAV but not 16-bit PCM (format {audio_format}, {bits} bits). "
                                "Convert it, e.g. 'sox in.wav -b 16 out.wav'.")
            available = size - body
            if chunk_bytes == 0 or chunk_bytes > available:  # the writer died before it wrote the final sizes
                if chunk_bytes != available:
                    log.info("repairing %s: header says %d data bytes, file has %d", path, chunk_bytes, available)
                chunk_bytes = max(0, available)
            return rate, channels, body, chunk_bytes
        pos = body + chunk_bytes + (chunk_bytes & 1)
    raise AudioError(f"'{path}' has no audio data (no fmt/data chunk). The recording is empty or damaged.")


def _to_mono(pcm: bytes, channels: int) -> bytes:
    if channels == 1:
        return pcm
    import numpy as np

    frames = np.frombuffer(pcm, dtype="<i2").reshape(-1, channels).astype(np.int32)
    return bytes(frames.mean(axis=1).astype("<i2").tobytes())


_AUDIO_HINT = "Pass a WAV, FLAC or MP3 recording."


def load_audio(path: Path, max_s: float | None = None) -> Recording:
    """Any WAV, FLAC or MP3 (any rate, any channels) as a 16 kHz mono Recording of at most `max_s` seconds
    (only that much is read or decoded: an hour-long file costs no more than its first minutes).

    Raises AudioError when the file is missing, not a regular file, unreadable, damaged or holds no audio.
    """
    from mockint.userpaths import input_file

    if input_file(path, "Audio file", _AUDIO_HINT, AudioError) == 0:
        raise AudioError(f"Audio file '{path}' is empty (0 bytes). Record the answer again or pick another file.")
    recording: Recording | None = None
    if path.suffix.lower() == ".wav":
        try:
            recording = read_wav(path, max_s)
        except (_NotPcm16, _NotRiff):
            recording = None  # a float WAV, an MP3 named .wav: let the general decoder try
    if recording is None or recording.sample_rate_hz != SAMPLE_RATE_HZ:
        recording = _decode(path, max_s)
    if recording.is_empty:
        raise AudioError(f"Audio file '{path}' contains no audio. Record the answer again or pick another file.")
    return recording


def is_longer_than(path: Path, seconds: float) -> bool:
    """Does the audio file hold more than `seconds` of sound? (Decodes at most a little past it.)"""
    return load_audio(path, seconds + 0.1).duration_s > seconds


def _decode(path: Path, max_s: float | None) -> Recording:
    """Decode and resample with PyAV (FFmpeg, which faster-whisper already depends on), stopping at `max_s`."""
    import av
    import av.error

    limit = None if max_s is None else int(max_s * SAMPLE_RATE_HZ) * SAMPLE_WIDTH_BYTES
    pcm = bytearray()
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"'{path}' holds no audio stream. {_AUDIO_HINT}")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE_HZ)
            for frame in _frames(container):
                for out in resampler.resample(frame):
                    pcm += out.to_ndarray().tobytes()
                if limit is not None and len(pcm) >= limit:
                    break
            else:
                for out in resampler.resample(None):
                    pcm += out.to_ndarray().tobytes()
    except (av.error.FFmpegError, ValueError, OSError) as e:
        raise AudioError(f"Cannot decode audio file '{path}': it is damaged or not audio ({type(e).__name__}). {_AUDIO_HINT}") from e
    return Recording(bytes(pcm[:limit] if limit is not None else pcm), SAMPLE_RATE_HZ)


def _frames(container: Any) -> Any:
    """The audio frames, skipping ones FFmpeg cannot decode (as faster-whisper's decode_audio does)."""
    import av.error

    packets = container.demux(container.streams.audio[0])
    for packet in packets:
        try:
            yield from packet.decode()
        except av.error.InvalidDataError:
            continue


def to_float32(recording: Recording) -> object:
    """The samples as a float32 numpy array in [-1, 1] (what faster-whisper takes)."""
    import numpy as np

    return np.frombuffer(recording.pcm, dtype="<i2").astype(np.float32) / 32768.0


def check_wav(path: Path) -> None:
    """Cheap header check of a session's WAV (no samples read). Raises AudioError for missing, empty or cut files.

    A header whose sizes are smaller than the file (or zero) is what a crash while recording leaves, and
    `audio.read_wav` repairs it; sizes larger than the file mean the file was cut short afterwards.
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        raise AudioError(f"Missing audio file '{path}'. Restore it, or delete the session folder.") from None
    except OSError as e:
        raise AudioError(f"Cannot read audio file '{path}': {e.strerror}. Check its permissions.") from None
    if size == 0:
        raise AudioError(f"Audio file '{path}' is empty (0 bytes). Re-record the answer or delete the session.")
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioError(f"Audio file '{path}' is truncated or not a WAV (no RIFF/WAVE header). Restore it from a backup.")
    pos = 12
    while pos + 8 <= len(head):
        chunk_id, chunk_size = struct.unpack_from("<4sI", head, pos)
        if chunk_id == b"data":
            available = size - (pos + 8)
            if available <= 0:
                raise AudioError(f"Audio file '{path}' holds no audio (empty data chunk). Re-record the answer.")
            if 0 < chunk_size and chunk_size > available:
                raise AudioError(
                    f"Audio file '{path}' is truncated: its header promises {chunk_size} bytes of audio, "
                    f"the file holds {available}. Restore it from a backup."
                )
            return
        pos += 8 + chunk_size + (chunk_size & 1)
    raise AudioError(f"Audio file '{path}' is truncated or damaged (no audio data chunk). Restore it from a backup.")
