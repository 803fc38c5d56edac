from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeClock, FakePlayer, FakeSpeaker

from mockint.audio import Recording, write_wav
from mockint.bank import Level
from mockint.replay import Frame, TurnStarted, follow, position_at, replay, section_start_s, transcript_lines
from mockint.session import Session, Turn, TurnKind
from mockint.star import Section, Span
from mockint.transcript import Transcript, Word

# Answer: situation 1.0-4.0 (then a pause), action 6.0-9.5, result 10.0-11.5; the recording lasts 12 s.
WORDS = (
    Word("We", 1.0, 1.3), Word("had", 1.4, 1.7), Word("outages.", 2.0, 4.0),
    Word("I", 6.0, 6.2), Word("wrote", 6.3, 6.8), Word("the", 7.0, 7.2), Word("fix.", 7.3, 9.5),
    Word("Errors", 10.0, 10.5), Word("halved.", 10.6, 11.5),
)
ANSWER = Transcript(WORDS, 12.0)
SPANS = (
    Span(Section.SITUATION, 1.0, 6.0, WORDS[:3]),
    Span(Section.ACTION, 6.0, 10.0, WORDS[3:7]),
    Span(Section.RESULT, 10.0, 11.5, WORDS[7:]),
)
TARGETS = {Section.SITUATION: 2.0, Section.ACTION: 90.0, Section.RESULT: 20.0}
PROBE = Transcript((Word("By", 0.5, 0.8), Word("measuring.", 0.9, 1.6)), 2.0)


def _session() -> Session:
    return Session(
        id="20261125-120000-q",
        created_at="2026-11-25T12:00:00+00:00",
        question_id="q",
        level=Level.SDE2,
        lp=None,
        model="base",
        turns=(
            Turn(TurnKind.ANSWER, "Tell me about an outage.", "answer.wav", ANSWER),
            Turn(TurnKind.PROBE, "How did you know it worked?", "probe-1.wav", PROBE, 0),
        ),
        scores=(),
    )


def _folder(tmp_path: Path, *, probe_audio: bool = True) -> Path:
    folder = tmp_path / "s"
    folder.mkdir()
    write_wav(folder / "answer.wav", Recording(b"\x01\x00" * 16_000 * 12))
    if probe_audio:
        write_wav(folder / "probe-1.wav", Recording(b"\x01\x00" * 16_000 * 2))
    return folder


def test_position_follows_words_and_a_pause_belongs_to_the_section_before_it() -> None:
    cues = follow(ANSWER, SPANS, TARGETS)
    assert position_at(cues, 0.5).word_index is None
    before_action = position_at(cues, 5.5)
    assert (before_action.word_index, before_action.section) == (2, Section.SITUATION)
    assert before_action.section_elapsed_s == pytest.approx(4.5)
    assert before_action.target_s == 2.0 and before_action.is_over_target
    action = position_at(cues, 6.9)
    assert (action.word_index, action.section, action.section_elapsed_s) == (4, Section.ACTION, pytest.approx(0.9))
    assert not action.is_over_target
    assert position_at(cues, 30.0).section is Section.RESULT
    assert position_at(follow(PROBE), 1.0).section is None


def test_replay_speaks_prompts_plays_audio_and_shows_each_word_at_its_time(tmp_path: Path) -> None:
    clock = FakeClock(100.0)
    player, speaker = FakePlayer(clock), FakeSpeaker()
    events: list[tuple[float, TurnStarted | Frame]] = []
    replay(
        _session(), _folder(tmp_path), SPANS,
        player=player, speaker=speaker, clock=clock, sleep=clock.advance,
        on_event=lambda e: events.append((clock.now, e)), targets=TARGETS,
    )
    assert speaker.said == ["Tell me about an outage.", "How did you know it worked?"]
    assert [(t, r.duration_s) for t, r in player.started] == [(100.0, 12.0), (112.0, 2.0)]
    assert player.stopped == [112.0, 114.0]
    frames = [(t, e) for t, e in events if isinstance(e, Frame)]
    answer_frames = [(t, e) for t, e in frames if e.turn_index == 0]
    # Every word is shown exactly when the audio reaches it.
    assert [t - 100.0 for t, _ in answer_frames] == pytest.approx([w.start_s for w in WORDS])
    assert [e.position.section for _, e in answer_frames] == [Section.SITUATION] * 3 + [Section.ACTION] * 4 + [Section.RESULT] * 2
    assert [t for t, e in frames if e.turn_index == 1] == pytest.approx([112.5, 112.9])
    starts = [e for _, e in events if isinstance(e, TurnStarted)]
    assert [(s.turn_index, s.from_s, s.has_audio) for s in starts] == [(0, 0.0, True), (1, 0.0, True)]


def test_replay_jumps_to_a_section_and_carries_on_through_the_probes(tmp_path: Path) -> None:
    clock = FakeClock()
    player, speaker = FakePlayer(clock), FakeSpeaker()
    frames: list[tuple[float, Frame]] = []
    replay(
        _session(), _folder(tmp_path), SPANS,
        player=player, speaker=speaker, clock=clock, sleep=clock.advance,
        on_event=lambda e: frames.append((clock.now, e)) if isinstance(e, Frame) else None,
        targets=TARGETS, jump_to=Section.ACTION,
    )
    assert section_start_s(SPANS, Section.ACTION) == 6.0
    assert speaker.said == ["How did you know it worked?"]  # the question itself is skipped
    assert player.started[0][1].duration_s == pytest.approx(6.0)  # the answer from 6 s to its end
    first_time, first = frames[0]
    assert first_time == 0.0 and first.position.word_index == 3 and first.position.section is Section.ACTION
    assert [t for t, f in frames if f.turn_index == 0] == pytest.approx([0.0, 0.3, 1.0, 1.3, 4.0, 4.6])


def test_replay_without_a_turns_audio_still_follows_its_transcript_silently(tmp_path: Path) -> None:
    clock = FakeClock()
    player = FakePlayer(clock)
    events: list[tuple[float, TurnStarted | Frame]] = []
    replay(
        _session(), _folder(tmp_path, probe_audio=False), SPANS,
        player=player, speaker=None, clock=clock, sleep=clock.advance,
        on_event=lambda e: events.append((clock.now, e)),
    )
    assert len(player.started) == 1
    probe_start = next(e for _, e in events if isinstance(e, TurnStarted) and e.turn_index == 1)
    assert not probe_start.has_audio
    assert [t for t, e in events if isinstance(e, Frame) and e.turn_index == 1] == pytest.approx([12.5, 12.9])
    assert clock.now == pytest.approx(14.0)


def test_transcript_lines_split_at_sentences_and_section_changes() -> None:
    lines = transcript_lines(_session(), SPANS)
    assert [(l.turn_index, l.section, l.start_s, l.text) for l in lines] == [
        (0, Section.SITUATION, 1.0, "We had outages."),
        (0, Section.ACTION, 6.0, "I wrote the fix."),
        (0, Section.RESULT, 10.0, "Errors halved."),
        (1, None, 0.5, "By measuring."),
    ]
