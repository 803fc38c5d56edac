"""Whole interviews on fakes: mic, speaker, transcriber and clock; asserts on the saved session,
what was said, and when."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import FakeClock, FakeMic, FakeSpeaker, FakeTranscriber

from mockint import store
from mockint.audio import Recording, read_wav
from mockint.bank import Level, Question, load_bank
from mockint.errors import DeviceError, MockintError
from mockint.interview import Event, EventKind, Interrupted, InterviewPlan, run_interview
from mockint.paths import bank_dir, recordings_dir
from mockint.session import TurnKind
from mockint.star import Section
from mockint.transcript import Transcript, Word

NOW = datetime(2026, 11, 25, 17, 30, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def question() -> Question:
    return next(q for q in load_bank(bank_dir()) if q.id == "disagree-and-commit")


def words(text: str, start_s: float = 0.5, wps: float = 2.5) -> Transcript:
    # times rounded as session.json stores them, so saved and in-memory sessions compare equal
    ws = tuple(Word(t, round(start_s + i / wps, 3), round(start_s + (i + 0.8) / wps, 3)) for i, t in enumerate(text.split()))
    return Transcript(ws, duration_s=round(start_s + len(ws) / wps + 1.0, 3))


def silence(seconds: float) -> Recording:
    return Recording(b"\x00\x00" * int(seconds * 16_000))


def weak_answer(q: Question) -> Transcript:
    """The page's weak answer: 'we' everywhere and no numbers, so the rubric finds gaps to probe."""
    return words(q.weak_answer.text)


def strong_answer(q: Question) -> Transcript:
    return words(" ".join(q.section(s).strong_example for s in Section))


def interview(question: Question, mic: FakeMic, transcriber: FakeTranscriber, clock: FakeClock, probes: int = 2):
    speaker = FakeSpeaker()
    events: list[Event] = []
    plan = InterviewPlan(question, Level.SDE2, lp=None, probe_count=probes, max_answer_s=240.0, max_probe_s=90.0, model="fake-asr")
    result = run_interview(
        plan, mic=mic, speaker=speaker, transcriber=transcriber, clock=clock, now=NOW,
        recordings=recordings_dir(), on_event=events.append,
    )  # fmt: skip
    return result, speaker, events


def test_interview_asks_the_question_then_probes_and_saves_the_scored_session(question: Question) -> None:
    clock = FakeClock(1000.0)
    mic = FakeMic(silence(25.0), silence(4.0), silence(5.0), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(weak_answer(question))
    asr.enqueue(words("I measured it with the dashboard and it dropped by half."))
    asr.enqueue(words("I would escalate earlier next time."))

    (session, folder), speaker, events = interview(question, mic, asr, clock)

    # What was said, in order: the question, then two of the question's own probes.
    assert speaker.said[0] == question.title
    assert len(speaker.said) == 3
    probe_turns = session.probe_turns
    assert [t.prompt for t in probe_turns] == speaker.said[1:]
    assert [question.probes[t.probe_index].question for t in probe_turns if t.probe_index is not None] == speaker.said[1:]
    assert len({t.probe_index for t in probe_turns}) == 2
    # The mic was given the answer cap, then the probe cap; each turn was transcribed once.
    assert mic.max_s == [240.0, 90.0, 90.0]
    assert [round(r.duration_s, 3) for r in asr.calls] == [25.0, 4.0, 5.0]

    # When: each prompt is said as the previous turn's audio ends (the fake mic advances the clock).
    says = [e.at_s for e in events if e.kind is EventKind.SAY]
    heard = [e.at_s for e in events if e.kind is EventKind.HEARD]
    assert says == [0.0, 25.0, 29.0]
    assert heard == [25.0, 29.0, 34.0]
    assert events[-1] == Event(34.0, EventKind.SAVED, str(folder))

    # The saved session: in the recordings folder, named by date and question, scored, with one WAV per turn.
    assert folder.parent == recordings_dir() and folder.name == "20261125-173012-disagree-and-commit"
    saved = store.load(folder)
    assert saved == session
    assert saved.is_complete and saved.level is Level.SDE2 and saved.model == "fake-asr"
    assert [t.kind for t in saved.turns] == [TurnKind.ANSWER, TurnKind.PROBE, TurnKind.PROBE]
    assert [t.audio_file for t in saved.turns] == ["answer.wav", "probe-1.wav", "probe-2.wav"]
    assert read_wav(folder / "answer.wav").duration_s == pytest.approx(25.0)
    assert saved.turns[0].transcript.words == weak_answer(question).words
    assert saved.turns[0].transcript.duration_s == pytest.approx(25.0)
    score = saved.latest_score
    assert score is not None and len(score.probe_judgements) == 2
    assert score.model == "fake-asr"


def test_probes_zero_records_only_the_answer(question: Question) -> None:
    clock = FakeClock()
    mic = FakeMic(silence(90.0), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(strong_answer(question))
    (session, folder), speaker, _ = interview(question, mic, asr, clock, probes=0)
    assert speaker.said == [question.title]
    assert [t.kind for t in session.turns] == [TurnKind.ANSWER]
    assert session.latest_score is not None
    assert (folder / "session.json").is_file()


def test_an_answer_with_no_speech_is_saved_and_reported_but_never_scored(question: Question) -> None:
    clock = FakeClock()
    mic = FakeMic(silence(20.0), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(Transcript((), 20.0))
    (session, folder), speaker, events = interview(question, mic, asr, clock)
    assert speaker.said == [question.title]  # no probes about nothing
    assert session.answer is not None and session.answer.transcript.is_empty
    saved = store.load(folder)
    assert saved.is_complete and saved.scores == () and (folder / "answer.wav").is_file()
    (note,) = [e for e in events if e.kind is EventKind.NOT_HEARD]
    assert "didn't hear an answer" in note.text and EventKind.SCORED not in {e.kind for e in events}


def test_ctrl_c_during_a_probe_saves_the_partial_session_and_raises_interrupted(question: Question) -> None:
    clock = FakeClock()
    mic = FakeMic(silence(25.0), KeyboardInterrupt(), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(weak_answer(question))
    with pytest.raises(Interrupted) as caught:
        interview(question, mic, asr, clock)
    folder = caught.value.folder
    saved = store.load(folder)
    assert not saved.is_complete
    assert saved.scores == ()
    assert [t.kind for t in saved.turns] == [TurnKind.ANSWER, TurnKind.PROBE]
    assert saved.turns[0].transcript.words == weak_answer(question).words
    assert saved.turns[1].audio_file is None and saved.turns[1].transcript.is_empty  # nothing was recorded


def test_ctrl_c_while_the_question_is_spoken_leaves_no_empty_session(question: Question) -> None:
    class InterruptedSpeaker:
        def say(self, text: str) -> None:
            raise KeyboardInterrupt

    plan = InterviewPlan(question, Level.SENIOR)
    with pytest.raises(Interrupted) as caught:
        run_interview(
            plan, mic=FakeMic(), speaker=InterruptedSpeaker(), transcriber=FakeTranscriber(), clock=FakeClock(),
            now=NOW, recordings=recordings_dir(),
        )  # fmt: skip
    assert caught.value.folder is None  # nothing was recorded: no session for 'mockint sessions' to list
    assert list(recordings_dir().iterdir()) == []


def test_a_device_that_fails_before_recording_leaves_no_empty_session(question: Question) -> None:
    mic = FakeMic(DeviceError("Input device 'default' cannot be opened."))
    with pytest.raises(DeviceError, match="cannot be opened. Nothing was recorded, so nothing was saved.$"):
        interview(question, mic, FakeTranscriber(), FakeClock())
    assert list(recordings_dir().iterdir()) == []


def test_a_full_disk_while_recording_is_one_error_and_keeps_what_was_written(question: Question) -> None:
    clock = FakeClock()
    mic = FakeMic(silence(25.0), OSError(28, "No space left on device"), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(weak_answer(question))
    with pytest.raises(MockintError, match="No space left on device. Free some disk space") as caught:
        interview(question, mic, asr, clock)
    folder = Path(str(caught.value).rsplit(" saved in ", 1)[1].rstrip("."))
    assert (folder / "answer.wav").is_file() and not list(folder.glob("*.tmp"))
    assert store.load(folder).answer is not None


def test_two_interviews_in_the_same_second_get_separate_folders(question: Question) -> None:
    folders: list[Path] = []
    for _ in range(2):
        clock = FakeClock()
        asr = FakeTranscriber()
        asr.enqueue(strong_answer(question))
        (_, folder), _, _ = interview(question, FakeMic(silence(90.0), clock=clock), asr, clock, probes=0)
        folders.append(folder)
    assert folders[0] != folders[1] and all((f / "answer.wav").is_file() for f in folders)


def test_the_answer_so_far_is_reported_while_it_is_spoken_but_not_for_probes(question: Question) -> None:
    clock = FakeClock()
    mic = FakeMic(silence(25.0), silence(4.0), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(weak_answer(question))
    asr.enqueue(words("I measured it."))
    partials: list[Transcript] = []
    plan = InterviewPlan(question, Level.SDE1, probe_count=1)
    run_interview(
        plan, mic=mic, speaker=FakeSpeaker(), transcriber=asr, clock=clock, now=NOW, recordings=recordings_dir(),
        on_partial=partials.append,
    )  # fmt: skip
    assert [p.words for p in partials] == [weak_answer(question).words]


def test_a_device_error_mid_interview_keeps_the_answer_and_says_where(question: Question) -> None:
    clock = FakeClock()
    mic = FakeMic(silence(25.0), DeviceError("Input device 'default' stopped delivering audio."), clock=clock)
    asr = FakeTranscriber()
    asr.enqueue(weak_answer(question))
    with pytest.raises(DeviceError, match="stopped delivering audio. What was recorded is saved in ") as caught:
        interview(question, mic, asr, clock)
    folder = Path(str(caught.value).rsplit(" saved in ", 1)[1].rstrip("."))
    saved = store.load(folder)
    assert not saved.is_complete and [t.kind for t in saved.turns] == [TurnKind.ANSWER, TurnKind.PROBE]
