from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mockint.fillers import (
    FillerOptions,
    FillerReport,
    UnheardSpan,
    find_fillers,
    per_100_words,
    report,
    unheard_spans,
    unheard_speech_s,
)
from mockint.hallucinations import repetition_loop
from mockint.text import is_filled_pause
from mockint.transcript import Transcript, Word


def said(text: str, word_s: float = 0.3) -> Transcript:
    """A transcript with one word every `word_s` seconds (no gaps)."""
    words = tuple(Word(w, i * word_s, (i + 1) * word_s) for i, w in enumerate(text.split()))
    return Transcript(words, len(words) * word_s)


def texts(text: str) -> list[str]:
    return [h.text for h in find_fillers(said(text))]


# --- counting ------------------------------------------------------------------------------------


def test_filled_pauses_count_in_any_spelling_case_and_punctuation() -> None:
    assert texts("Um, I, uh, fixed it. Ummm... Uhh, erm, hmm. Er, mm.") == ["um", "uh", "um", "uh", "erm", "hm", "er", "m"]


def test_hyphenated_run_of_filled_pauses_is_one_filler() -> None:
    assert texts("we um-um shipped it") == ["um-um"]


def test_ordinary_words_that_look_like_fillers_are_not_counted() -> None:
    assert texts("I am the owner of the summer umbrella rum account, uhuru") == []


def test_like_as_a_verb_or_comparison_is_not_counted() -> None:
    text = "I'd like to say it looks like a bug. Things like caching felt like magic. We like tests. I would like more."
    assert texts(text) == []


def test_like_approximating_a_number_is_not_counted() -> None:
    assert texts("it took like twenty minutes") == []


def test_like_set_off_by_commas_or_before_a_filled_pause_or_intensifier_is_counted() -> None:
    assert texts("and, like, we shipped it") == ["like"]
    assert texts("Like, the build broke.") == ["like"]
    assert texts("it was like really slow") == ["like"]
    assert texts("the service was like uh down") == ["like", "uh"]


def test_quoting_like_is_not_counted() -> None:
    assert texts("and he was like no way") == []


def test_you_know_counts_only_as_a_tag() -> None:
    assert texts("it was, you know, a hard call") == ["you know"]
    assert texts("we had to ship, you know?") == ["you know"]
    assert texts("do you know what happened? As you know, we shipped. I'll let you know, later.") == []
    assert texts("you know the answer") == []


def test_i_mean_counts_only_before_a_comma() -> None:
    assert texts("I mean, it worked") == ["i mean"]
    assert texts("I mean the second database. That is what I mean, really.") == []


def test_so_counts_only_when_trailing_off() -> None:
    assert texts("So, we decided to roll back. It was slow so we cached it.") == []
    assert texts("we fixed it, so... the team moved on") == ["so"]
    assert texts("we fixed it, so.") == ["so"]
    assert texts("I think so.") == []


def test_hits_carry_the_time_of_the_filler() -> None:
    (hit,) = find_fillers(said("I, uh, fixed it", word_s=0.5))
    assert (hit.start_s, hit.end_s, hit.is_filled_pause) == (0.5, 1.0, True)
    (phrase,) = find_fillers(said("it was, you know, hard", word_s=0.5))
    assert (phrase.start_s, phrase.end_s, phrase.is_filled_pause) == (1.0, 2.0, False)


def test_contextual_fillers_keep_their_rules() -> None:
    t = said("Ah, I, like, fixed it, you know, basically. Do you know why?")
    assert [h.text for h in find_fillers(t)] == ["ah", "like", "you know"]  # not "do you know"


def test_is_filled_pause() -> None:
    assert is_filled_pause("Uhm,") and is_filled_pause("hmmm...") and is_filled_pause("Mm-hmm.")
    assert not is_filled_pause("um-brella") and not is_filled_pause("") and not is_filled_pause("like")


def test_per_100_words() -> None:
    assert per_100_words(3, 60) == pytest.approx(5.0)
    assert per_100_words(0, 10) == 0.0
    assert per_100_words(0, 0) is None


def test_report_rate_counts_fillers_among_the_words() -> None:
    r = report(said("um I uh fixed the bug today and it worked"), heard_with_prompt=True)
    assert r.count == 2 and r.per_100_words == pytest.approx(20.0)


def test_empty_transcript_is_not_measured_and_never_claims_no_fillers() -> None:
    r = report(Transcript((), 0.0), heard_with_prompt=True, speech=[])
    assert (r.count, r.per_100_words, r.is_reliable) == (0, None, False)
    assert "not measured" in r.note.lower()


# --- unheard speech ------------------------------------------------------------------------------

NO_PAD = FillerOptions(word_pad_s=0.0, min_unheard_s=0.0)


def test_unheard_speech_is_voiced_time_no_word_covers() -> None:
    words = [Word("hello", 0.0, 0.5), Word("there", 1.0, 1.5)]
    spans = unheard_spans([(0.0, 2.0)], words, NO_PAD)
    assert [(s.start_s, s.end_s) for s in spans] == [(0.5, 1.0), (1.5, 2.0)]
    assert unheard_speech_s([(0.0, 2.0)], words, NO_PAD) == pytest.approx(1.0)


def test_overlapping_adjacent_and_unordered_regions_are_merged() -> None:
    words = [Word("a", 1.0, 1.2)]
    speech = [(2.0, 3.0), (0.0, 0.6), (0.5, 1.1), (1.1, 1.5), (3.0, 3.5), (4.0, 4.0)]
    spans = unheard_spans(speech, words, NO_PAD)
    assert [(s.start_s, s.end_s) for s in spans] == [(0.0, 1.0), (1.2, 1.5), (2.0, 3.5)]


def test_short_uncovered_slivers_and_word_padding_are_ignored() -> None:
    options = FillerOptions(word_pad_s=0.15, min_unheard_s=0.25)
    words = [Word("hello", 0.1, 0.5), Word("there", 0.6, 1.0)]
    assert unheard_spans([(0.0, 1.1)], words, options) == ()  # 0.1 s edges and a 0.1 s gap: timing slips
    assert unheard_speech_s([(0.0, 2.0)], words, options) == pytest.approx(2.0 - 1.15)
    assert unheard_speech_s([(0.0, 1.35)], words, options) == 0.0  # 0.2 s past the padding: too short


def test_over_long_word_leaves_its_middle_unheard() -> None:
    # Whisper stretched "that" over a dropped "uh": the voiced middle of the word is unheard.
    words = [Word("theories", 13.92, 14.78), Word("that", 14.78, 16.42), Word("take", 16.42, 16.78)]
    speech = [(13.56, 15.0), (15.33, 15.93), (16.32, 17.0)]
    (span,) = unheard_spans(speech, words)
    assert 15.33 <= span.start_s < span.end_s <= 15.93 and span.duration_s >= 0.3


def test_no_speech_means_nothing_unheard() -> None:
    assert unheard_spans([], [Word("a", 0.0, 1.0)]) == ()
    assert unheard_spans([(0.0, 1.0)], []) == (UnheardSpan(0.0, 1.0),)


# --- the report ----------------------------------------------------------------------------------


def test_prompt_and_little_unheard_speech_make_a_reliable_count() -> None:
    t = said("I fixed the bug and um shipped it")
    speech = [(0.0, t.duration_s)]
    r = report(t, heard_with_prompt=True, speech=speech)
    assert r.is_reliable and r.unheard_speech_s == pytest.approx(0.0)
    assert r.note == "1 filler (12.5 per 100 words)."


def test_without_the_prompt_a_count_is_a_lower_bound() -> None:
    t = said("I fixed the bug and um shipped it")
    r = report(t, heard_with_prompt=False, speech=[(0.0, t.duration_s)])
    assert not r.is_reliable and r.note.startswith("At least 1 filler ")


def test_zero_fillers_is_claimed_only_when_reliable() -> None:
    t = said("I fixed the bug and shipped it")
    assert report(t, heard_with_prompt=True, speech=[(0.0, t.duration_s)]).note == "No fillers heard."
    for r in (
        report(t, heard_with_prompt=False, speech=[(0.0, t.duration_s)]),
        report(t, heard_with_prompt=True),  # no voice activity: cannot check for unheard speech
        report(t, heard_with_prompt=True, speech=[(0.0, t.duration_s + 3.0)]),  # 3 s of speech with no words
    ):
        assert not r.is_reliable
        assert r.note.startswith("No fillers transcribed, but this is not proof")


def test_unheard_speech_is_named_in_the_note() -> None:
    t = said("um I fixed the bug")
    options = FillerOptions(word_pad_s=0.15)
    r = report(t, heard_with_prompt=True, speech=[(0.0, t.duration_s + 2.0)], options=options)
    assert r.unheard_speech_s == pytest.approx(1.85)
    assert r.note == "At least 1 filler (20.0 per 100 words; Whisper drops some fillers; 1.9 s of speech had no words)."


def test_report_round_trips_through_a_dict() -> None:
    r = report(said("um I, like, fixed it"), heard_with_prompt=True, speech=[(0.0, 2.0)])
    assert [h.text for h in r.hits] == ["um", "like"]
    again = FillerReport.from_dict(r.to_dict())
    assert again.to_dict() == r.to_dict() and [h.text for h in again.hits] == ["um", "like"]


# --- real speech recognition ---------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_whisper_with_the_filler_prompt_keeps_a_spoken_um(tmp_path: Path) -> None:
    from mockint.asr import AsrOptions, WhisperTranscriber
    from mockint.audio import load_audio

    wav = tmp_path / "um.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), "I found the cause on Thursday. I fixed the bug and, um, shipped it on Friday."],
                   check=True)  # fmt: skip
    transcript = WhisperTranscriber(options=AsrOptions(keep_fillers=True)).transcribe(load_audio(wav))
    r = report(transcript, heard_with_prompt=True)
    assert r.count >= 1, transcript.text
    assert any(h.is_filled_pause for h in r.hits)
    assert "shipped" in transcript.text.lower()


def test_repetition_loop_marks_the_repeats_after_the_first_occurrence() -> None:
    t = said("Looking back, I would test earlier... I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry")
    loop = repetition_loop(t.words)
    assert [t.words[k].text for k in loop] == ["I'm", "sorry"] * 4
    assert repetition_loop(said("um, uh, uh, uh, we shipped it").words) == ()  # three is a speaker, not a loop
    assert repetition_loop(said("the end of the day and the end of the week").words) == ()


def test_looped_fillers_and_punctuation_are_left_out_and_make_the_count_unreliable() -> None:
    t = said("Then I called the vendor, um, uh, uh, uh, uh, uh, uh . . .")
    r = report(t, heard_with_prompt=True, speech=[(0.0, t.duration_s)])
    assert (r.count, r.looped_words, r.is_reliable) == (2, 5, False)
    assert r.per_100_words == pytest.approx(100 * 2 / 7)
    assert r.note.startswith("At least 2 fillers") and "5 words the recogniser repeated" in r.note
