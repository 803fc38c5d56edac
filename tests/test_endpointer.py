from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockint.endpointer import Cut, Endpointer, EndpointOptions, EndReason, Step

# Short pieces keep these tests small; the defaults' own values are checked separately.
SHORT = EndpointOptions(piece_min_s=2.0, piece_max_s=15.0, piece_guess_pause_ms=1200)


def frames(s: float) -> int:
    return round(s * 1000 / 30)


def feed(ep: Endpointer, pattern: list[tuple[bool, float]]) -> tuple[list[Cut], EndReason | None]:
    """Push (is_speech, seconds) runs until the turn ends; returns the cuts and the end reason."""
    cuts: list[Cut] = []
    for is_speech, seconds in pattern:
        for _ in range(frames(seconds)):
            step = ep.push(is_speech)
            cuts += step.cuts
            if step.ended:
                return cuts, step.ended
    return cuts, None


def test_no_speech_within_thinking_time_ends_the_turn_as_no_speech() -> None:
    ep = Endpointer(EndpointOptions(thinking_s=5.0))
    cuts, ended = feed(ep, [(False, 10.0)])
    assert ended is EndReason.NO_SPEECH
    assert ep.frames == frames(5.0)
    assert cuts == [] and not ep.has_speech


def test_a_click_shorter_than_speech_start_neither_starts_the_answer_nor_is_transcribed() -> None:
    ep = Endpointer(EndpointOptions(thinking_s=5.0, silence_s=1.0))
    cuts, ended = feed(ep, [(False, 1.0), (True, 0.06), (False, 10.0)])
    assert ended is EndReason.NO_SPEECH and cuts == []


def test_silence_after_speech_ends_the_turn_after_silence_s() -> None:
    ep = Endpointer(EndpointOptions(silence_s=3.0))
    cuts, ended = feed(ep, [(False, 4.0), (True, 5.0), (False, 10.0)])
    assert ended is EndReason.SILENCE
    assert ep.frames == frames(4.0) + frames(5.0) + frames(3.0)
    assert ep.first_speech_frame == frames(4.0)


def test_thinking_pauses_shorter_than_silence_s_do_not_end_the_answer() -> None:
    ep = Endpointer(EndpointOptions(silence_s=3.0))
    pattern = [(True, 4.0), (False, 2.8), (True, 3.0), (False, 1.5), (True, 2.0), (False, 2.9), (True, 1.0)]
    cuts, ended = feed(ep, pattern)
    assert ended is None
    assert ep.push(False).ended is None


def test_pause_of_600_ms_closes_a_piece_that_starts_a_little_before_its_speech() -> None:
    ep = Endpointer(replace(SHORT, piece_lead_ms=300))
    cuts, _ = feed(ep, [(False, 2.0), (True, 3.0), (False, 0.6)])
    assert cuts == [Cut(frames(2.0) - frames(0.3), frames(2.0) + frames(3.0) + frames(0.6))]


def test_pause_shorter_than_600_ms_does_not_cut() -> None:
    ep = Endpointer(SHORT)
    cuts, _ = feed(ep, [(True, 3.0), (False, 0.5), (True, 3.0), (False, 0.5)])
    assert cuts == []


def test_a_piece_shorter_than_the_minimum_is_not_cut_at_a_pause() -> None:
    ep = Endpointer(SHORT)
    cuts, _ = feed(ep, [(True, 1.0), (False, 0.9), (True, 2.0), (False, 0.6)])
    assert len(cuts) == 1
    assert cuts[0].start_frame == 0  # the short first utterance went into the same piece


def test_long_speech_without_pauses_is_cut_at_its_longest_pause_before_piece_max() -> None:
    ep = Endpointer(SHORT)
    # 6 s speech, 0.3 s pause (too short for a normal cut), 12 s speech
    cuts, _ = feed(ep, [(True, 6.0), (False, 0.3), (True, 12.0)])
    assert len(cuts) == 1
    middle = frames(6.0) + frames(0.3) // 2
    assert cuts[0].start_frame == 0 and abs(cuts[0].end_frame - middle) <= 1


def test_long_speech_without_any_pause_is_cut_at_piece_max() -> None:
    ep = Endpointer(SHORT)
    cuts, _ = feed(ep, [(True, 31.0)])
    assert cuts == [Cut(0, frames(15.0)), Cut(frames(15.0), 2 * frames(15.0))]


def test_the_hard_cap_ends_the_turn_and_returns_the_open_piece() -> None:
    ep = Endpointer(EndpointOptions(), max_s=10.0)
    cuts, ended = feed(ep, [(True, 20.0)])
    assert ended is EndReason.MAX_LENGTH
    assert cuts == [Cut(0, frames(10.0))]


def test_stop_returns_the_open_piece_trimmed_to_its_speech() -> None:
    ep = Endpointer(SHORT)
    feed(ep, [(True, 1.5), (False, 1.0)])
    last = ep.stop(EndReason.ENTER)
    assert ep.ended is EndReason.ENTER
    assert last == Cut(0, frames(1.5) + frames(0.6))
    with pytest.raises(ValueError):
        ep.push(True)


def test_trailing_silence_after_a_cut_is_not_transcribed() -> None:
    ep = Endpointer(replace(SHORT, silence_s=3.0))
    cuts, ended = feed(ep, [(True, 5.0), (False, 5.0)])
    assert ended is EndReason.SILENCE
    assert cuts == [Cut(0, frames(5.0) + frames(0.6))]  # closed at the pause; nothing after it


def feed_steps(ep: Endpointer, pattern: list[tuple[bool, float]]) -> list[Step]:
    return [ep.push(is_speech) for is_speech, seconds in pattern for _ in range(frames(seconds))]


def test_a_long_pause_sends_the_open_piece_as_a_guess_without_closing_it() -> None:
    ep = Endpointer(EndpointOptions(piece_min_s=8.0, piece_pause_ms=600, piece_guess_pause_ms=1200))
    steps = feed_steps(ep, [(True, 3.0), (False, 1.5)])
    assert all(not s.cuts for s in steps)  # 3 s is under the minimum: the piece stays open
    guesses = [s.guess for s in steps if s.guess]
    assert guesses == [Cut(0, frames(3.0) + frames(0.6))]  # once, at 1.2 s into the pause
    assert steps.index(next(s for s in steps if s.guess)) == frames(3.0) + frames(1.2) - 1
    # Speech resumes: the guess was wrong, and the piece grows on with its context.
    steps = feed_steps(ep, [(True, 6.0), (False, 0.6)])
    assert [c for s in steps for c in s.cuts] == [Cut(0, frames(3.0) + frames(1.5) + frames(6.0) + frames(0.6))]


def test_when_the_turn_ends_after_a_guess_the_last_piece_is_exactly_the_guess() -> None:
    ep = Endpointer(EndpointOptions(piece_min_s=8.0, silence_s=3.0, piece_guess_pause_ms=1500))
    steps = feed_steps(ep, [(True, 4.0), (False, 3.0)])
    guess = next(s.guess for s in steps if s.guess)
    assert steps[-1].ended is EndReason.SILENCE and steps[-1].cuts == (guess,)
    ep2 = Endpointer(EndpointOptions(piece_min_s=8.0, piece_guess_pause_ms=1500))
    steps = feed_steps(ep2, [(True, 4.0), (False, 2.0)])
    assert ep2.stop(EndReason.ENTER) == next(s.guess for s in steps if s.guess)


def test_default_pieces_are_long_enough_for_context_and_the_guess_comes_before_the_turn_ends() -> None:
    o = EndpointOptions()
    assert o.piece_min_s >= 8.0  # shorter pieces lost accuracy (see EndpointOptions)
    assert o.piece_guess_pause_ms / 1000 + 1.5 <= o.silence_s  # time to transcribe the last piece
    ep = Endpointer(o)
    steps = feed_steps(ep, [(True, 5.0), (False, o.silence_s)])
    guessed_at = next(i for i, s in enumerate(steps) if s.guess)
    assert steps[-1].ended is EndReason.SILENCE
    assert len(steps) - guessed_at >= frames(1.5)


def test_options_reject_a_frame_length_webrtcvad_cannot_take() -> None:
    with pytest.raises(ValueError):
        EndpointOptions(frame_ms=25)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(min_value=1, max_value=400)), min_size=1, max_size=40))
def test_pieces_are_ordered_disjoint_and_hold_every_confirmed_speech_frame(runs: list[tuple[bool, int]]) -> None:
    options = replace(SHORT, max_s=10_000, thinking_s=10_000, silence_s=10_000)
    ep = Endpointer(options)
    flags = [flag for flag, n in runs for _ in range(n)]
    cuts: list[Cut] = []
    for flag in flags:
        cuts += ep.push(flag).cuts
    last = ep.stop(EndReason.ENTER)
    cuts += [last] if last else []
    for a, b in zip(cuts, cuts[1:], strict=False):
        assert a.end_frame <= b.start_frame
    for c in cuts:
        assert 0 <= c.start_frame < c.end_frame <= len(flags)
        assert c.end_frame - c.start_frame <= frames(options.piece_max_s) + frames(options.piece_pause_ms / 1000)
    start_run = round(options.speech_start_ms / options.frame_ms)
    run = 0
    for i, flag in enumerate(flags):
        run = run + 1 if flag else 0
        if run >= start_run:  # confirmed speech: frames i-run+1 .. i must be inside pieces
            for j in range(i - run + 1, i + 1):
                assert any(c.start_frame <= j < c.end_frame for c in cuts), (j, cuts)


def test_a_short_pause_sends_the_open_piece_so_far_as_a_draft_once_without_closing_it() -> None:
    ep = Endpointer(EndpointOptions(piece_min_s=8.0, piece_draft_pause_ms=300, piece_draft_every_s=2.0))
    steps = feed_steps(ep, [(True, 3.0), (False, 0.5), (True, 2.0), (False, 0.4)])
    assert all(not s.cuts and s.guess is None for s in steps)
    drafts = [s.draft for s in steps if s.draft]
    first_end = frames(3.0) + frames(0.3)
    assert drafts == [Cut(0, first_end), Cut(0, frames(3.0) + frames(0.5) + frames(2.0) + frames(0.3))]


def test_a_short_pause_drafts_after_enough_new_speech_and_a_pause_twice_as_long_after_any() -> None:
    ep = Endpointer(EndpointOptions(piece_draft_pause_ms=150, piece_draft_every_s=2.0))
    steps = feed_steps(ep, [(True, 2.2), (False, 0.2), (True, 1.0), (False, 0.2), (True, 0.5), (False, 0.3)])
    ends = [s.draft.end_frame for s in steps if s.draft]
    first = frames(2.2) + frames(0.15)  # 2.2 s of new speech: at 150 ms
    second = first + frames(0.05) + frames(1.0) + frames(0.2) + frames(0.5) + frames(0.3)  # 1.5 s more: at 300 ms
    assert ends == [first, second]
    assert all(s.draft.start_frame == 0 for s in steps if s.draft)


def test_no_draft_of_a_piece_with_little_speech() -> None:
    ep = Endpointer(EndpointOptions(piece_draft_every_s=2.0))
    assert not any(s.draft for s in feed_steps(ep, [(True, 1.0), (False, 1.0)]))


def test_drafts_come_before_the_guess_and_the_default_turn_end() -> None:
    o = EndpointOptions()
    assert o.piece_draft_pause_ms < o.piece_pause_ms < o.piece_guess_pause_ms < o.silence_s * 1000
    ep = Endpointer(o)
    steps = feed_steps(ep, [(True, 5.0), (False, o.silence_s)])
    kinds = [("draft" if s.draft else "guess") for s in steps if s.draft or s.guess]
    assert kinds == ["draft", "guess"] and steps[-1].ended is EndReason.SILENCE


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(min_value=1, max_value=300)), min_size=1, max_size=40))
def test_a_draft_starts_where_its_piece_starts_and_ends_at_a_pause_or_gap(runs: list[tuple[bool, int]]) -> None:
    options = replace(SHORT, max_s=10_000, thinking_s=10_000, silence_s=10_000, piece_min_s=8.0, piece_draft_every_s=1.0)
    ep = Endpointer(options)
    flags = [flag for flag, n in runs for _ in range(n)]
    cuts: list[Cut] = []
    drafts: list[tuple[Cut, int]] = []  # each draft and how many cuts came before it
    for flag in flags:
        step = ep.push(flag)
        cuts += step.cuts
        if step.draft:
            drafts.append((step.draft, len(cuts)))
    last = ep.stop(EndReason.ENTER)
    cuts += [last] if last else []
    for draft, before in drafts:
        assert cuts[before].start_frame == draft.start_frame  # the piece open at the time
        assert any(flags[draft.start_frame : draft.end_frame])  # it holds speech
        assert not flags[draft.end_frame - 1] or not flags[draft.end_frame]  # it ends at a pause or gap


def test_continuous_speech_sends_a_draft_at_its_longest_gap_once_enough_has_built_up() -> None:
    ep = Endpointer(EndpointOptions(piece_draft_wait_s=4.0, piece_draft_pause_ms=150))
    # 1.5 s, a 60 ms gap, 1.5 s, a 90 ms gap, then talk on without a 150 ms pause
    steps = feed_steps(ep, [(True, 1.5), (False, 0.06), (True, 1.5), (False, 0.09), (True, 3.0)])
    drafts = [s.draft for s in steps if s.draft]
    gap_middle = frames(1.5) + frames(0.06) + frames(1.5) + frames(0.09) // 2
    assert len(drafts) == 1 and drafts[0].start_frame == 0 and abs(drafts[0].end_frame - gap_middle) <= 1
    assert steps.index(next(s for s in steps if s.draft)) + 1 == frames(4.0)  # once 4 s of speech built up
