"""Words the recogniser invented are found (and only those): loops, words over silence, prompt echoes."""

from __future__ import annotations

from mockint.asr import FILLER_PROMPT
from mockint.hallucinations import (
    improbable,
    is_doubtful_segment,
    over_silence,
    prompt_echoes,
    repair_echoes,
    repetition_loop,
)
from mockint.transcript import Word


def words(text: str, start_s: float = 0.0, step_s: float = 0.3) -> list[Word]:
    return [Word(t, start_s + i * step_s, start_s + (i + 0.8) * step_s) for i, t in enumerate(text.split())]


def test_whispers_doubtful_segments_are_dropped_and_real_speech_kept() -> None:
    assert is_doubtful_segment(0.99, -0.2, 11.1)  # white noise: "I don't know if I'm going to..." 181 words
    assert is_doubtful_segment(0.80, -0.55, 3.8)  # silence with the prompt: "Okay, so, um, so, um"
    assert is_doubtful_segment(0.91, -0.89, 2.1)  # pink noise: "Uh, uh, uh"
    assert not is_doubtful_segment(0.09, -0.29, 1.4)  # jfk.flac
    assert not is_doubtful_segment(0.7, -0.3, 1.5)  # a confident segment after a long pause


def test_a_repetition_loop_keeps_its_first_occurrence() -> None:
    ws = words("I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry")
    assert [ws[k].text for k in repetition_loop(ws)] == ["I'm", "sorry"] * 4
    assert repetition_loop(words("uh, uh, uh, we shipped it")) == ()  # a speaker's three is not a loop


def test_words_over_silence_are_found_and_words_near_speech_are_not() -> None:
    ws = words("we shipped it thank you", step_s=1.0)  # at 0, 1, 2, 3, 4 s
    assert over_silence(ws, [(0.0, 2.5)]) == (3, 4)
    assert over_silence(ws, [(0.0, 2.9)]) == (4,)  # "thank" (3.0-3.8 s) is within the margin of speech
    assert over_silence(ws, []) == (0, 1, 2, 3, 4)


def test_a_prompt_echo_is_found_across_fillers_and_a_plain_sentence_is_not() -> None:
    echoed = words("About zero point three. So, um, here's what I, uh, did. Then I fixed it.")
    (echo,) = prompt_echoes(echoed, FILLER_PROMPT)
    assert " ".join(w.text for w in echoed[echo.first : echo.last]) == "So, um, here's what I, uh, did."
    assert prompt_echoes(words("I pulled the logs and I traced the cause."), FILLER_PROMPT) == ()


def test_an_echo_is_replaced_by_what_the_plain_decode_heard_there() -> None:
    prompted = words("I noticed drops. So, um, here's what I, uh, did. I fixed it.")
    plain = words("I noticed drops. About zero point three percent were lost. I fixed it.")
    fixed, replaced = repair_echoes(prompted, plain, FILLER_PROMPT)
    text = " ".join(w.text for w in fixed)
    assert replaced == 1 and "here's what" not in text and "zero point three" in text
    assert text.startswith("I noticed drops.") and text.endswith("I fixed it.")


def test_an_echo_the_speaker_really_said_is_kept() -> None:
    said = words("The rota was a mess. So here's what I did. I met every nurse.")
    fixed, replaced = repair_echoes(said, said, FILLER_PROMPT)
    assert replaced == 0 and list(fixed) == said


def test_a_word_whisper_gives_almost_no_chance_is_invented() -> None:
    ws = [Word("Um,", 0.0, 0.5, 0.0006), Word("we", 0.6, 0.8, 0.021), Word("shipped", 0.8, 1.2, 0.9)]
    assert improbable(ws) == (0,)


def test_segments_stop_being_read_once_one_ends_where_the_voice_does() -> None:
    """The rest after the last voiced stretch is never decoded (faster-whisper decodes lazily, one 30 s
    window per step): a segment that ends with the voice is the last one asked for."""
    from types import SimpleNamespace

    from mockint.asr import until_speech_ends

    asked: list[float] = []

    def decoded(*ends: float):
        for end in ends:
            asked.append(end)
            yield SimpleNamespace(end=end)

    voiced = ((0.2, 3.0), (3.4, 6.1))
    assert [s.end for s in until_speech_ends(decoded(3.0, 5.95, 8.4), voiced)] == [3.0, 5.95]
    assert asked == [3.0, 5.95]  # the window after 5.95 s was never decoded
    asked.clear()
    # more than TRAILING_VOICE_S of voice after a segment: the next window is read
    assert [s.end for s in until_speech_ends(decoded(3.0, 5.5, 6.1), voiced)] == [3.0, 5.5, 6.1]
    assert [s.end for s in until_speech_ends(decoded(1.0, 2.0), ())] == [1.0, 2.0]  # no voice known: all
