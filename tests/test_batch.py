from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from mockint.audio import Recording, load_audio
from mockint.batch import BatchedWhisperTranscriber, Window, recording_index, split_evenly, windows

JFK = Path(__file__).resolve().parent.parent.parent / "shared" / "audio-samples" / "jfk.flac"


def test_windows_group_speech_into_contiguous_stretches_of_at_most_30_s() -> None:
    speech = [(0.5, 4.0), (5.0, 12.0), (12.5, 29.0), (31.0, 40.0), (41.0, 75.0)]
    assert windows(speech) == [Window(0.5, 29.0), Window(31.0, 40.0), Window(41.0, 75.0)]
    assert windows([]) == []
    assert windows([(0.0, 10.0), (10.5, 20.0)], max_s=15.0) == [Window(0.0, 10.0), Window(10.5, 20.0)]


def test_a_window_reported_a_little_early_still_belongs_to_its_own_recording() -> None:
    offsets = [0.0, 32.3174375, 70.0]  # recordings start on a sample, not on a 10 ms frame
    # What faster-whisper reports for a window starting exactly there: whole samples, then whole frames.
    reported_s = int(int(32.3174375 * 16_000) / 16_000 * 100) / 100
    assert reported_s < 32.3174375
    assert recording_index(reported_s, offsets) == 1
    assert recording_index(0.0, offsets) == 0 and recording_index(30.5, offsets) == 0
    assert recording_index(82.0, offsets) == 2


def test_split_evenly_balances_audio_between_streams_and_keeps_order() -> None:
    assert split_evenly([40.0, 10.0, 30.0, 20.0], 2) == [[0, 1], [2, 3]]
    assert split_evenly([5.0], 2) == [[0], []]
    assert split_evenly([], 2) == [[], []]
    assert split_evenly([1.0, 2.0], 1) == [[0, 1]]


@pytest.fixture(scope="module")
def batched() -> BatchedWhisperTranscriber:
    if not JFK.is_file():
        pytest.skip("shared/audio-samples/jfk.flac is not here")
    return BatchedWhisperTranscriber(batch_size=4)


def test_batched_transcripts_keep_each_recordings_own_times(batched: BatchedWhisperTranscriber) -> None:
    speech = load_audio(JFK)
    padded = Recording(b"\x00\x00" * 16_000 * 3 + speech.pcm)  # the same words 3 s later
    first, empty, second, again = batched.transcribe_many([speech, Recording(b""), padded, speech])
    words = [w.text.strip(",.").casefold() for w in first.words]
    assert words[:4] == ["and", "so", "my", "fellow"] and "country" in words
    assert empty.words == () and empty.duration_s == 0.0
    assert [w.text.strip(",.").casefold() for w in second.words] == words  # punctuation may differ
    shifts = [b.start_s - a.start_s for a, b in zip(first.words, second.words, strict=True)]
    # Word timestamps jitter by a few hundred ms between decodes (ASR-NOTES); the offset itself must be exact.
    assert 2.9 <= statistics.median(shifts) <= 3.1 and all(2.0 < s < 4.0 for s in shifts), shifts
    assert second.duration_s == pytest.approx(speech.duration_s + 3.0)
    # Speech from the very first sample: its window must not be given to the recording before it.
    assert [w.text.strip(",.").casefold() for w in again.words] == words
    assert again.words[0].start_s < 0.5
    assert batched.model_name
