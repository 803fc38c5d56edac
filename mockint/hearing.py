"""Was an answer heard at all? Silence, noise and speech in another language are reported, never scored.

Pure: a transcript in (its words, the voice activity and the language Whisper heard), a `Heard` verdict out.
Measured on this machine (scripts/bench_echo.py, ../shared/audio-samples): 30 s of digital silence has no
voice activity; white and pink noise, a 440 Hz tone and 50 Hz hum are all "voiced" to webrtcvad for their
whole length but leave no words once invented ones are dropped; German and French espeak-ng speech is
detected as de (0.99) and fr (0.82), English speech as en (0.94).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mockint.transcript import Transcript

MIN_WORDS = 5  # fewer recognised words than this is not an answer to score
SILENCE_MAX_VOICED_S = 1.0  # less voice activity than this: the microphone heard (nearly) nothing
OTHER_LANGUAGE_MIN_P = 0.7  # Whisper this sure the audio is not English
DOUBT_MEAN_WORD_P = 0.7  # ...and this unsure of the English words it wrote (translations: 0.43-0.53; English 0.94)

_LANGUAGES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "ar": "Arabic", "hi": "Hindi",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "cs": "Czech", "el": "Greek", "he": "Hebrew", "vi": "Vietnamese", "id": "Indonesian",
}  # fmt: skip


class Heard(StrEnum):
    SPEECH = "speech"
    SILENCE = "silence"  # (almost) no voice activity
    NOISE = "noise"  # sound, but no words (or too few to be an answer)
    OTHER_LANGUAGE = "other_language"


@dataclass(frozen=True, slots=True)
class Hearing:
    """What was heard, and the sentence that tells the candidate (empty for speech)."""

    heard: Heard
    message: str

    @property
    def is_answer(self) -> bool:
        return self.heard is Heard.SPEECH


def judge(transcript: Transcript) -> Hearing:
    """Speech to score, or why not. Transcripts saved before voice activity or language were recorded are
    judged by their words alone."""
    voiced_s = sum(b - a for a, b in transcript.voiced)
    length = f"{transcript.duration_s:.0f} s"
    words = transcript.words
    check = "Check the microphone with 'mockint doctor', then try again."
    other = _other_language(transcript)
    if other is not None and voiced_s >= SILENCE_MAX_VOICED_S:
        return Hearing(Heard.OTHER_LANGUAGE, f"This sounded like {other}, not English: mockint scores answers "
                                             "in English. Answer in English and try again.")
    if len(words) < MIN_WORDS:
        if words:
            return Hearing(Heard.NOISE, f"I heard only \u201c{transcript.text}\u201d: too little to score. {check}")
        if voiced_s < SILENCE_MAX_VOICED_S:
            return Hearing(Heard.SILENCE, f"I didn't hear an answer: {length} of silence. {check}")
        return Hearing(Heard.NOISE, f"I didn't hear an answer: {voiced_s:.0f} s of sound but no words. {check}")
    return Hearing(Heard.SPEECH, "")


def _other_language(transcript: Transcript) -> str | None:
    """The language's name when Whisper is sure it is not English and the English words it wrote are doubtful
    or too few to be an answer (German espeak-ng speech came out as "I, did, uh, did.", de 0.96)."""
    language, p, words = transcript.language, transcript.language_probability, transcript.words
    if language is None or language == "en" or p is None or p < OTHER_LANGUAGE_MIN_P or not words:
        return None
    mean_p = sum(w.probability for w in words) / len(words)
    if len(words) >= MIN_WORDS and mean_p >= DOUBT_MEAN_WORD_P:
        return None
    return _LANGUAGES.get(language, f"language '{language}'")
