"""STAR sections: the `Section` enum, `Span` (one detected section), `segment()` and section timing.

Pure and standard library only: a `Transcript` in, ordered spans out; spans and targets in, timings out.
No audio, no model, no clock, no file I/O. The cue vocabulary lives in `_CUES` below, as data.

How `segment()` works (see `_units`, `_pieces`, `_unit_scores`, `_emissions`, `_decode`):
1. Split the words into sentence-like units at sentence punctuation, at pauses, and before signposts
   ("as a result", "looking back"); when the transcript has almost no punctuation, also before
   discourse markers ("so", "and then", "after that"). Long units, where Whisper may have run two
   sentences together, are cut into clauses whose scores blend their own cues with the sentence's.
2. Score each piece for each section from cue features: signpost phrases, "I <past-tense verb>"
   actions, numbers and change verbs (Result), hindsight and present-tense generalisation
   (Reflection), setting and past-state language (Situation), responsibility and scope language
   (Task), plus a soft prior on the piece's position in the answer. Fillers carry no evidence.
3. Decode the best monotone labelling (Situation -> Task -> Action -> Result -> Reflection; sections
   may be skipped) with a Viterbi pass. Entering a section costs something, so a section needs
   evidence to appear at all: a missing section is left out, never invented.

The weights in `SegmentOptions` were set by hand, then adjusted by a hill-climb on
scripts/data/star_dev.json (text and espeak-ng -> Whisper audio); scripts/eval_star.py measures them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mockint.transcript import Transcript, Word


class Section(StrEnum):
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"


SECTION_ORDER: tuple[Section, ...] = tuple(Section)


@dataclass(frozen=True, slots=True)
class Span:
    """One detected section: its words and its time in the recording.

    `end_s` is the start of the next section's first word (a pause belongs to the section it
    follows); the last span ends at its last word.
    """

    section: Section
    start_s: float
    end_s: float
    words: tuple[Word, ...]

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


# --- cue vocabulary (data) -------------------------------------------------------------------------
# Each cue is a phrase of lower-case tokens and a weight added to the unit's score for that section
# each time the phrase occurs. A token ending in "*" matches any word with that prefix; a cue starting
# with "re:" is a regular expression over the space-joined tokens.
# Written from how people tell STAR stories in any field, not from any one example story.

_S, _T, _A, _R, _X = (Section.SITUATION, Section.TASK, Section.ACTION, Section.RESULT, Section.REFLECTION)

_CUES: dict[Section, tuple[tuple[str, float], ...]] = {
    _S: (
        ("the situation was", 3.0), ("situation", 1.0), ("for context", 2.5), ("some context", 2.5),
        ("background", 1.0), ("to set the scene", 3.0), ("at the time", 1.5), ("at that time", 1.5),
        ("at my previous", 2.0), ("at my last", 2.0), ("in my previous", 2.0), ("in my last", 1.5),
        ("in my first", 1.5), ("my previous job", 1.5), ("previous role", 1.5), ("when i was", 1.5),
        ("while i was", 1.5), ("while working", 2.0), ("when i worked", 2.0), ("i was working", 2.0),
        ("i worked at", 2.0), ("i worked as", 2.0), ("i worked in", 1.5), ("i worked on", 1.0),
        ("i was a", 1.5), ("i was an", 1.5), ("i was the", 1.0), ("i was one of", 1.5),
        ("i was on", 1.0), ("i was in", 1.0), ("back in", 1.5), ("last year", 1.5), ("years ago", 1.5),
        ("a while ago", 1.5), ("a couple of years", 1.5), ("last summer", 1.5), ("last semester", 1.5),
        ("last spring", 1.5), ("last fall", 1.5), ("last winter", 1.5), ("during my", 1.5),
        ("there was", 1.2), ("there were", 1.2), ("there had been", 1.5), ("we had", 0.8),
        ("we were", 0.6), ("it was a", 0.6), ("had been", 1.0), ("was having", 1.0), ("were having", 1.0),
        ("used to", 0.8), ("i joined", 1.5), ("just joined", 1.5), ("i had just", 1.5), ("i'd just", 1.5),
        ("the company", 0.8), ("a company", 0.8), ("startup", 0.8), ("the problem was", 1.2),
        ("the issue was", 1.5), ("problem", 0.7), ("issue", 0.5), ("was causing", 1.0),
        ("were causing", 1.0), ("kept", 0.6), ("every week", 0.6), ("every day", 0.6), ("each week", 0.6),
        ("struggling", 0.8), ("behind schedule", 1.0), ("short staffed", 1.0), ("understaffed", 1.0),
        ("complain*", 0.6), ("noticed", 0.4), ("i saw that", 0.8),
        ("was not", 0.3), ("wasn't", 0.3), ("was about", 0.8), ("our team", 0.5), ("a team of", 1.2),
        ("i was leading", 1.0), ("i was managing", 1.0), ("i was running", 1.0), ("i was part of", 1.5),
        ("part of a", 0.8), ("so basically", 0.5), ("basically", 0.4), ("this was", 0.4),
        ("we were using", 1.0), ("we used", 0.5), ("were falling", 0.8), ("was falling", 0.8),
        ("caused", 0.8), ("causing", 1.0), ("impacting", 0.8), ("affecting", 0.8), ("leading to", 0.6),
        ("loss", 0.5), ("losing", 0.6), ("which meant", 0.4), ("frustrat*", 0.6), ("because of", 0.4),
        ("re:(had|'d) (been|gotten|become|grown|[a-z]+ed)", 0.6),
        ("re:last (season|term|quarter|month|spring|summer|autumn|fall|winter|semester|year)", 1.5),
        ("during", 0.8), ("re:one (morning|night|day|evening|afternoon|weekend)", 1.0), ("as a volunteer", 1.5),
        ("re:(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s", 0.6),
    ),
    _T: (
        ("my task", 3.0), ("the task", 2.0), ("task was", 2.0), ("my job was", 3.0), ("my job", 1.5),
        ("my role was", 2.5), ("my role", 1.0), ("my responsibility", 2.5), ("responsib*", 1.0),
        ("i was responsible", 2.0), ("in charge of", 1.5), ("my goal", 2.5), ("the goal was", 2.5),
        ("our goal", 2.0), ("goal", 1.0), ("objective", 1.5), ("i needed to", 2.0), ("needed to", 1.2),
        ("i had to", 1.5), ("had to", 0.8), ("we needed to", 1.5), ("we had to", 1.0),
        ("i was asked to", 2.5), ("asked me to", 1.5), ("i was assigned", 2.5), ("assigned", 1.0),
        ("i was tasked", 3.0), ("tasked", 2.0), ("i decided to", 1.2), ("i wanted to", 1.5),
        ("up to me", 2.5), ("fell to me", 2.5), ("on me to", 2.0), ("my job to", 2.0),
        ("i took it on", 2.5), ("take ownership", 2.0), ("took ownership", 2.0), ("ownership", 1.0),
        ("not my team", 2.0), ("not mine", 2.0), ("not my", 1.0), ("nobody asked", 2.5),
        ("nobody had asked", 2.5), ("no one asked", 2.5), ("no one had asked", 2.5), ("no ticket", 2.0),
        ("wasn't my", 1.2), ("was not my", 1.2), ("outside my", 1.2), ("the challenge was", 2.0),
        ("challenge", 0.8), ("figure out", 1.0), ("make sure", 0.8), ("supposed to", 1.5),
        ("expected to", 1.5), ("deadline", 0.8), ("the target was", 2.0), ("the plan was", 1.2),
        ("the ask was", 2.5), ("the brief was", 2.0), ("volunteered to", 2.0),
        ("re:asked (me |us )?(if|whether) (i|we) could", 2.0), ("i'm the one", 1.0), ("offered to", 1.0),
        ("i offered to", 2.0), ("i stepped up", 1.5), ("i needed", 1.2), ("what i needed", 2.0),
        ("needed someone", 2.0), ("had to be", 1.0), ("i was hoping to", 1.5), ("i was trying to", 1.2),
        ("the aim was", 2.5), ("aim", 0.8), ("so i had to", 1.0), ("it was my", 1.0),
        ("was to", 1.0), ("were to", 0.8), ("would be", 0.4), ("without", 0.3), ("on me", 1.5),
        ("in charge", 1.0), ("nobody owned", 2.5), ("no one owned", 2.5), ("nobody else", 1.0),
        ("going to", 0.8), ("i was going to", 1.0), ("took it on", 2.0), ("took on", 1.0),
        ("re:i had( [^ ]+){0,4} to", 1.5), ("re:i (only )?had( [^ ]+){0,3} (days|weeks|months|hours)", 1.0),
        ("my target", 2.0), ("target was", 1.5), ("i wanted", 1.0), ("the idea was", 1.5),
        ("i was given", 2.0), ("given the job", 2.0), ("given the task", 2.0), ("the job of", 1.5),
        ("i knew i had to", 1.5), ("priority was", 1.5), ("my priority", 1.5), ("i owned", 1.5),
        ("i was the one", 1.5), ("fell on me", 2.0), ("brought in to", 2.0), ("i was brought in", 2.0),
        ("needed me to", 2.0), ("wanted me to", 2.0), ("wanted us to", 1.5), ("needed us to", 1.5),
        ("asked us to", 1.5), ("the request was", 2.0), ("in time for", 0.8), ("so that", 0.4),
        ("re:(help|support|get|keep|make) (him|her|them|it|everyone|the team)", 0.6),
        ("re:gave (me|us)( [^ ]+){0,4} to", 2.0), ("gave me", 0.6), ("took initiative", 2.0),
        ("take initiative", 2.0), ("took the initiative", 2.0), ("initiative", 0.8), ("didn't want to", 1.2),
        ("want to", 0.6), ("needed", 0.6), ("my area", 1.0), ("not my area", 1.5), ("nobody had", 1.0),
        ("no one had", 1.0), ("nobody was", 0.8), ("my own", 0.5), ("on myself", 1.5),
        ("mission", 1.0), ("find a way", 1.5), ("a way to", 1.0), ("how to", 0.5), ("opportunity", 1.0),
        ("determined to", 1.5), ("i set out to", 2.0), ("set out to", 1.5), ("i aimed to", 2.0),
        ("i planned to", 1.0), ("committed to", 0.8), ("the question was", 1.5), ("i knew that", 0.5),
        ("re:we had( [^ ]+){0,3} (days|weeks|months|hours) to", 1.5), ("but i thought", 1.0),
        ("not acceptable", 1.0), ("unacceptable", 1.0), ("wasn't in", 0.6), ("wasn't on", 0.6), ("it to me", 1.5), ("to me to", 1.5),
        ("my call", 1.5), ("at least", 0.6), ("come up with", 0.8), ("try to", 0.6),
    ),
    _A: (
        ("what i did", 3.0), ("the first thing i did", 3.0), ("first thing", 2.0), ("first i", 2.5),
        ("first of all", 1.0), ("first", 0.8), ("i started by", 2.5), ("i started", 1.5),
        ("i began", 1.5), ("then i", 2.0), ("next i", 2.0), ("after that i", 2.0), ("so i", 1.0),
        ("i also", 1.5), ("i then", 2.0), ("step", 0.8), ("in parallel", 1.5), ("at the same time", 1.0),
        ("meanwhile", 1.0), ("to do that", 1.5), ("i made sure", 1.5), ("i went", 1.0), ("i tried", 1.2),
        ("i worked with", 1.5), ("i worked through", 1.5), ("one on one", 0.8), ("i reached out", 1.5),
        ("i sat down", 1.5), ("i put together", 1.5), ("i set up", 1.5), ("i followed up", 1.5),
        ("followed up", 1.0), ("i kept", 1.0), ("we then", 1.5), ("after that", 1.0), ("and then", 0.8),
        ("i proposed", 1.2), ("i suggested", 1.0), ("i asked", 0.8), ("i told", 0.8), ("i explained", 1.0),
    ),
    _R: (
        ("as a result", 3.0), ("the result was", 3.0), ("the result", 2.0), ("result*", 1.5),
        ("outcome", 2.0), ("in the end", 2.0), ("at the end", 1.0), ("by the end", 1.5),
        ("ended up", 1.5), ("eventually", 0.8), ("overall", 1.0), ("which meant", 1.0),
        ("that meant", 1.0), ("this meant", 1.0), ("went from", 2.0), ("dropped", 1.5), ("went down", 1.5),
        ("went up", 1.5), ("reduced", 1.5), ("reduc*", 0.5), ("increased", 1.5), ("improved", 1.5),
        ("improv*", 0.5), ("cut", 0.8), ("saved", 1.5), ("saving", 1.0), ("grew", 1.5), ("doubled", 2.0),
        ("halved", 2.0), ("tripled", 2.0), ("rose", 1.5), ("fell", 1.0), ("decreased", 1.5),
        ("down to", 1.5), ("up to", 0.5), ("zero", 1.0), ("percent", 1.0), ("dollars", 1.0),
        ("per week", 1.0), ("per month", 1.0), ("a week", 0.4), ("a month", 0.4), ("adopted", 1.5),
        ("standard", 0.8), ("the feedback", 0.8), ("feedback was", 1.0), ("positive feedback", 1.5), ("great feedback", 1.5),
        ("good feedback", 1.5), ("thanked", 1.5), ("praised", 1.5), ("recogni*", 1.0),
        ("promoted", 1.5), ("award*", 1.5), ("happy", 1.0), ("satisfied", 1.0), ("on time", 1.5),
        ("on schedule", 1.5), ("ahead of schedule", 2.0), ("met the deadline", 2.0), ("launched", 1.0),
        ("successful*", 1.5), ("success", 1.5), ("it worked", 1.5), ("scores", 1.0), ("rating*", 1.0),
        ("metric*", 0.8), ("since then", 1.2), ("to this day", 2.0), ("still", 0.6), ("is now", 1.0),
        ("are now", 1.0), ("no longer", 1.5), ("never had", 1.0), ("renewed", 1.5), ("closed the deal", 2.0),
        ("retention", 0.8), ("revenue", 0.8), ("impact", 1.5), ("the impact", 2.0), ("passed", 1.0),
        ("complet*", 0.6), ("the next", 0.4), ("later", 0.6), ("afterwards", 0.8), ("it turned out", 1.0),
        ("turned out", 1.0), ("became", 1.0), ("got", 0.4), ("went live", 1.5), ("rolled out", 0.8),
        ("not a single", 1.2), ("fewer", 1.2), ("less than", 1.0), ("more than", 0.8), ("times faster", 2.0),
        ("within", 1.0), ("by the", 0.5), ("the next day", 1.0), ("had no", 1.0), ("no more", 1.0),
        ("stopped", 1.0), ("completely", 0.4), ("went ahead", 0.8), ("not once", 1.0), ("haven't had", 1.2),
        ("made it", 0.6), ("over target", 2.0), ("the highest", 1.2), ("highest", 0.6), ("best ever", 1.5),
        ("record", 0.8), ("higher", 0.8), ("lower", 0.8), ("faster", 0.8),
        ("quicker", 0.8), ("said", 0.4), ("finished", 0.6), ("wrote to", 0.6), ("thank*", 0.8),
        ("re:by (january|february|march|april|may|june|july|august|september|october|november|december)", 1.5),
        ("re:by the (end|time|following)", 1.0), ("re:by the [^ ]+ (day|week|month|year|quarter|term|semester)", 1.0),
        ("by then", 1.0), ("top of", 0.8), ("re:(that|the following|the next) (week|month|quarter|year|term)", 1.0),
        ("over the next", 1.2), ("re:after (about |around )?[^ ]+ (days|weeks|months|years)", 1.0),
        ("re:[^ ]+ (days|weeks|months) later", 1.2), ("handed over", 1.0), ("reached", 1.0),
        ("achieved", 1.5), ("exceeded", 1.5), ("hit", 0.6), ("won", 1.0), ("avoided", 1.0),
        ("disappeared", 1.5), ("resolved", 0.8), ("was fine", 1.0), ("were fine", 1.0), ("everyone", 0.4),
        ("told me", 0.6), ("review", 0.4), ("went home", 1.0), ("discharged", 0.8), ("approved", 1.0),
        ("accepted", 0.6), ("re:(still|now) us(e|es|ing)", 1.5), ("closed", 0.6), ("signed", 0.6),
    ),
    _X: (
        ("i learned", 3.0), ("learned", 2.0), ("i learnt", 3.0), ("learnt", 2.0), ("lesson*", 2.5),
        ("takeaway", 3.0), ("take away", 2.5), ("took away", 2.0), ("looking back", 3.5),
        ("in hindsight", 3.5), ("hindsight", 2.5), ("in retrospect", 3.5), ("if i did it again", 3.5),
        ("if i were to", 3.0), ("if i had to do", 3.0), ("do it again", 2.5), ("do differently", 3.0),
        ("differently", 2.0), ("next time", 2.5), ("i would", 1.5), ("i'd", 1.2), ("would have", 1.5),
        ("should have", 2.0), ("could have", 1.5), ("wish i had", 2.5), ("i wish", 2.0), ("taught me", 3.0),
        ("it showed me", 2.5), ("showed me", 2.0), ("made me realize", 2.5), ("made me realise", 2.5),
        ("i realized", 1.2), ("i realised", 1.2), ("realiz*", 0.6), ("realis*", 0.6), ("going forward", 2.0),
        ("from now on", 2.0), ("ever since", 1.5), ("since then i", 1.5), ("i now", 2.0), ("now i", 2.0),
        ("i always", 2.0), ("always", 1.0), ("never", 0.6), ("i try to", 2.0), ("these days", 2.0),
        ("the real root cause", 3.0), ("root cause was", 1.5), ("organizational", 1.5),
        ("organisational", 1.5), ("systemic", 2.0), ("the bigger", 1.2), ("the key", 1.2), ("reflect*", 2.0),
        ("important", 1.5), ("is important", 1.5), ("it's important", 2.0), ("matters", 1.5),
        ("you have to", 1.5), ("you need to", 1.5), ("you can't", 1.5), ("i think", 1.2), ("i believe", 1.5),
        ("the main thing", 1.5), ("for me", 0.8), ("as a leader", 1.5), ("in the future", 2.0),
        ("future", 1.0), ("rather than", 0.6), ("beyond", 0.6), ("understand", 0.5), ("mistake", 1.0),
        ("instead", 0.5), ("earlier", 0.8), ("sooner", 1.2), ("i'll", 1.5), ("i will", 1.5),
        ("i make sure", 2.0), ("i tend to", 1.5), ("habit", 1.5), ("now when", 1.5), ("whenever", 1.2),
        ("the lesson", 3.0), ("what i took", 2.0), ("the biggest thing", 2.0), ("it's not", 0.8),
        ("gap", 0.6), ("the way i", 0.8), ("approach", 0.4), ("reminded me", 2.5), ("made me", 1.0),
        ("how much", 1.0), ("how important", 2.0), ("i know now", 2.0), ("i now know", 2.0),
        ("stuck with me", 2.0), ("every time", 1.0), ("i still", 1.0), ("i understand", 1.5),
        ("re:what i( [^ ]+){1,2} (is|was) that", 2.0), ("the real", 1.0), ("the need for", 1.0),
        ("lack of", 0.8), ("the bigger picture", 1.5),
        # Whisper hears espeak-ng's (and some speakers') "learned" as "earned".
        ("earned that", 2.0), ("i earned", 1.0), ("what i earned", 2.0),
        ("made me see", 2.0), ("made me think", 2.0), ("stays with me", 2.0), ("the thing i", 0.8),
    ),
}

# Words skipped when looking for the verb after "I"/"we" ("I then quickly wrote").
_ADVERBS = frozenset(
    "then also just actually immediately quickly first personally basically really eventually finally even "
    "always usually now often generally normally deliberately "
    "still again instead later next both all myself ourselves obviously honestly literally carefully "
    "directly manually slowly gradually".split()
)
# Past-tense verbs after "I" that are not actions: they say what the speaker was, knew or wanted.
_NOT_ACTION_PAST: dict[str, Section] = {
    "was": _S, "were": _S, "had": _S, "noticed": _S, "joined": _S, "worked": _S, "used": _S, "saw": _S,
    "observed": _S, "spotted": _S, "discovered": _S, "inherited": _S,
    # What happened to the speaker rather than what they chose to do.
    "lost": _S, "faced": _S, "struggled": _S, "missed": _S, "failed": _S, "received": _S, "heard": _S,
    "needed": _T, "wanted": _T, "decided": _T, "hoped": _T, "volunteered": _S,
    "learned": _X, "learnt": _X, "realized": _X, "realised": _X, "felt": _X, "think": _X, "thought": _X,
    "understood": _X, "guess": _X,
    # Outcome verbs: "we hit the target", "I finished the year at 120%".
    "hit": _R, "reached": _R, "achieved": _R, "exceeded": _R, "won": _R, "finished": _R, "ended": _R,
    "beat": _R, "delivered": _R, "surpassed": _R, "doubled": _R, "halved": _R, "tripled": _R,
}
# After "I", a verb that is neither past nor an auxiliary is the habitual present of a lesson:
# "now I always check", "I ask why before I argue".
_NOT_HABITUAL = frozenset(
    "was were had would could should might will can can't cannot did didn't do don't am 'm have has "
    "just also then".split()
)
# "I took ownership", "I had to", "I was asked": past tense, but they state the task, not an action.
_NOT_ACTION_PHRASE: dict[tuple[str, str], Section] = {
    ("took", "ownership"): _T, ("took", "responsibility"): _T, ("took", "charge"): _T, ("took", "it"): _T,
    ("took", "on"): _T, ("took", "initiative"): _T, ("had", "to"): _T, ("was", "responsible"): _T, ("was", "asked"): _T,
    ("was", "tasked"): _T, ("was", "given"): _T, ("was", "expected"): _T, ("were", "asked"): _T,
    ("got", "asked"): _T, ("was", "supposed"): _T, ("were", "supposed"): _T,
    ("managed", "a"): _S, ("managed", "an"): _S, ("managed", "the"): _S, ("managed", "our"): _S,
    # Whisper often hears a quick "I was a" as "I won a"; an award is rarely "won a" in a Situation.
    ("won", "a"): _S, ("won", "an"): _S,
    ("volunteered", "to"): _T, ("said", "i'd"): _T, ("said", "i"): _T, ("promised", "to"): _T,
}
_IRREGULAR_PAST = frozenset(
    "went wrote made took built met sat put set ran spoke told got brought found gave kept began led sent "
    "chose drew taught caught bought sold held did came began broke drove flew fed hung hid left lent let "
    "paid rang rewrote redid rebuilt rode said sought shut sang split spent stood stuck swept swung threw "
    "tore undertook upheld wound withdrew won oversaw forgave froze grabbed knew laid meant overheard "
    "dug dealt shook".split()
)
_PRESENT_MARKERS = frozenset("is are am i'm it's that's don't doesn't isn't aren't i've we've you".split())
_PAST_MARKERS = frozenset("was were had did didn't wasn't weren't".split())
# Past states ("growth had stalled", "the team was split") set a scene; actions are done, not been.
_STATE_MARKERS = frozenset("was were wasn't weren't had hadn't kept used 'd".split())
_FILLERS = frozenset("um umm uh uhh er erm ah hmm mm mhm".split())
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million billion half double twice percent".split()
)
_CHANGE_WORDS = frozenset(
    "dropped went reduced increased improved cut saved grew doubled halved tripled rose fell decreased "
    "down up from lowered raised boosted shrank climbed jumped gained lost".split()
)
# Phrases that start a new unit even mid-sentence, and (when punctuation is scarce) discourse markers.
_SIGNPOSTS = (
    "as a result", "the result was", "in the end", "looking back", "in hindsight", "in retrospect",
    "the real root cause", "the real lesson", "what i took away", "the thing i'd do differently",
    "what i learned", "i learned", "the lesson", "my task", "my job was", "my role was", "my goal",
    "the goal was", "what i did", "the first thing i did", "the situation was", "the outcome",
    "if i did it again", "next time", "the biggest lesson", "the takeaway", "my responsibility",
)
# Where a new sentence may start when Whisper has run two together without punctuation.
_SUBJECTS = frozenset("i we he she they it my our the this that".split())
_MARKERS = (
    "so", "and then", "then", "after that", "but", "eventually", "finally", "because", "and so", "and i",
    "and we", "and by", "and in the end", "and now",
)


@dataclass(frozen=True, slots=True)
class SegmentOptions:
    """Tuning of `segment()`. Units: seconds; scores are additive log-odds-like points."""

    unit_pause_s: float = 0.7  # a gap at least this long between words starts a new unit
    min_signpost_unit_words: int = 3  # split before a signpost only after this many words
    long_unit_words: int = 16  # a unit this long (maybe two sentences run together) is cut into clauses...
    clause_min_words: int = 5  # ...of at least this many words
    clause_weight: float = 0.45  # a clause's score: this much its own cues, the rest its share of the unit's
    marker_split_min_words: int = 6  # with scarce punctuation, split before a marker after this many
    scarce_punctuation_words: int = 30  # fewer than one sentence end per this many words = scarce
    enter_cost: float = 0.5  # entering a section (a section must earn its place)
    min_section_words: int = 5  # a section (after the first) with fewer words joins the one before
    pause_bonus_per_s: float = 0.5  # a pause before a unit makes a section change there cheaper...
    pause_bonus_max: float = 0.6  # ...up to this much (less than enter_cost: a pause alone is no evidence)
    position_weight: float = 6.5  # how strongly a unit's place in the answer pulls its label
    action_bias: float = 0.6  # first-person narrative in the middle is most often Action
    outcome_bias: float = 0.3  # a sentence about others, not "I"/"we", late in a story is often Result
    opening_situation: float = 1.0  # answers usually open by setting the scene
    task_bias: float = 0.0  # added to every unit's Task score (negative: Task needs more evidence)
    i_past_action: float = 1.8  # per "I <past verb>"
    we_past_action: float = 0.85  # per "we <past verb>"
    number_result: float = 0.95  # per number, percent or money amount (capped at 3)
    change_with_number_result: float = 0.65  # a change verb in a unit that also has a number
    present_reflection: float = 0.1  # per present-tense marker
    habitual_reflection: float = 0.8  # per "I <present verb>" ("I always ask", "I think")
    past_reflection: float = -0.5  # per past-tense marker
    state_situation: float = 0.45  # per past-state marker (was, were, had)


DEFAULT_OPTIONS = SegmentOptions()

# Where each section usually sits, as a fraction of the answer's words (from the seeds' targets,
# DEFAULT_TARGETS_S, with generous margins, because real answers skip and stretch sections).
_POSITION_RANGE: dict[Section, tuple[float, float]] = {
    _S: (0.0, 0.25), _T: (0.1, 0.4), _A: (0.15, 0.85), _R: (0.5, 1.0), _X: (0.7, 1.0),
}


@dataclass(frozen=True, slots=True)
class _Unit:
    first: int  # index of the first word
    last: int  # index past the last word
    tokens: tuple[str, ...]  # cleaned lower-case tokens, fillers and repeats removed
    pause_before_s: float


def segment(transcript: Transcript, options: SegmentOptions = DEFAULT_OPTIONS) -> tuple[Span, ...]:
    """Split a transcript into ordered, non-overlapping STAR spans covering every word.

    Only sections the answer contains are returned; an empty transcript gives ().
    """
    words = transcript.words
    if not words:
        return ()
    units, scores = _pieces(words, options)
    labels = _merge_scraps(_decode(_emissions(units, scores, options), units, options), units, options)
    spans: list[Span] = []
    start = 0
    for i in range(1, len(units) + 1):
        if i == len(units) or labels[i] != labels[start]:
            first, last = units[start].first, units[i - 1].last
            span_words = words[first:last]
            end_s = words[last].start_s if last < len(words) else span_words[-1].end_s
            spans.append(Span(labels[start], span_words[0].start_s, end_s, span_words))
            start = i
    return tuple(spans)


def _merge_scraps(labels: list[Section], units: Sequence[_Unit], options: SegmentOptions) -> list[Section]:
    """Give a later section of only a few words (a stray phrase, words Whisper made up) to the one before."""
    out = list(labels)
    changed = True
    while changed:
        changed = False
        runs: list[tuple[int, int]] = []
        for i in range(len(out)):
            if i and out[i] == out[i - 1]:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        if len(runs) < 2:
            break
        for k, (a, b) in enumerate(runs[1:], start=1):  # a terse opening ("Our site flooded.") is fine
            size = sum(len(u.tokens) for u in units[a:b])
            if size < options.min_section_words:
                out[a:b] = [out[a - 1]] * (b - a)
                changed = True
                break
    return out


def _clean(text: str) -> str:
    return text.lower().strip(" \t\"'()[]{},.;:!?-–—…").replace("’", "'")


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"')]”’").endswith((".", "?", "!", "…"))


def _phrase_starts(tokens: Sequence[str], i: int, phrases: Iterable[str]) -> bool:
    for parts in _split_phrases(tuple(phrases)):
        if tokens[i] == parts[0] and tuple(tokens[i : i + len(parts)]) == parts:
            return True
    return False


@functools.cache
def _split_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in phrases)


def _units(words: Sequence[Word], cleaned: Sequence[str], options: SegmentOptions) -> list[_Unit]:
    """Sentence-like units: cut at sentence punctuation, pauses and signposts (and markers if unpunctuated)."""
    sentence_ends = sum(1 for w in words if _ends_sentence(w.text))
    is_scarce = sentence_ends * options.scarce_punctuation_words < len(words)
    bounds = [0]
    for i in range(1, len(words)):
        size = i - bounds[-1]
        gap = words[i].start_s - words[i - 1].end_s
        if (
            _ends_sentence(words[i - 1].text)
            or gap >= options.unit_pause_s
            or (size >= options.min_signpost_unit_words and _phrase_starts(cleaned, i, _SIGNPOSTS))
            or (is_scarce and size >= options.marker_split_min_words and _phrase_starts(cleaned, i, _MARKERS))
        ):
            bounds.append(i)
    bounds.append(len(words))
    return [_make_unit(a, b, words, cleaned) for a, b in zip(bounds, bounds[1:])]


def _make_unit(a: int, b: int, words: Sequence[Word], cleaned: Sequence[str]) -> _Unit:
    tokens: list[str] = []
    for t in cleaned[a:b]:
        if t and t not in _FILLERS and (not tokens or tokens[-1] != t):
            tokens.append(t)
    pause = words[a].start_s - words[a - 1].end_s if a else 0.0
    return _Unit(a, b, tuple(tokens), max(0.0, pause))


def _pieces(words: Sequence[Word], options: SegmentOptions) -> tuple[list[_Unit], list[dict[Section, float]]]:
    """The pieces the decoder labels, and each piece's section scores.

    Whisper often runs two sentences, and so two sections, into one with at most a comma between
    them. So each sentence-like unit is cut further into clauses (at commas, discourse markers and
    likely sentence subjects), and a clause's score blends its own cues with its share of the whole
    unit's score: a homogeneous sentence stays together, and a clear change of section inside a
    run-on sentence can still be found.
    """
    cleaned = [_clean(w.text) for w in words]
    pieces: list[_Unit] = []
    scores: list[dict[Section, float]] = []
    for unit in _units(words, cleaned, options):
        whole = _unit_scores(unit, options)
        size = unit.last - unit.first
        for a, b in _clause_bounds(unit, words, cleaned, options):
            clause = _make_unit(a, b, words, cleaned)
            own = _unit_scores(clause, options) if (a, b) != (unit.first, unit.last) else whole
            share = (b - a) / size
            mix = options.clause_weight
            scores.append({s: mix * own[s] + (1.0 - mix) * share * whole[s] for s in SECTION_ORDER})
            pieces.append(clause)
    return pieces, scores


def _clause_bounds(unit: _Unit, words: Sequence[Word], cleaned: Sequence[str], options: SegmentOptions) -> list[tuple[int, int]]:
    a, b = unit.first, unit.last
    if b - a < options.long_unit_words:
        return [(a, b)]
    cuts = [a]
    for i in range(a + options.clause_min_words, b - options.clause_min_words + 1):
        if i - cuts[-1] >= options.clause_min_words and (
            words[i - 1].text.endswith((",", ";", ":"))
            or cleaned[i] in _SUBJECTS
            or _phrase_starts(cleaned, i, _MARKERS)
        ):
            cuts.append(i)
    cuts.append(b)
    return list(zip(cuts, cuts[1:]))


@dataclass(frozen=True, slots=True)
class _CueIndex:
    """The cue table compiled for matching token by token (built once, on first use)."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], Section, float], ...]]  # phrases keyed by first token
    wild_first: dict[str, tuple[tuple[tuple[str, ...], Section, float], ...]]  # first token a prefix*: by 3 letters
    regexes: tuple[tuple[re.Pattern[str], Section, float], ...]


@functools.cache
def _cue_index() -> _CueIndex:
    by_first: dict[str, list[tuple[tuple[str, ...], Section, float]]] = {}
    wild: dict[str, list[tuple[tuple[str, ...], Section, float]]] = {}
    regexes: list[tuple[re.Pattern[str], Section, float]] = []
    for section, cues in _CUES.items():
        for phrase, weight in cues:
            if phrase.startswith("re:"):
                regexes.append((re.compile(r"(?<= )" + phrase[3:] + r"(?= )"), section, weight))
                continue
            parts = tuple(phrase.split())
            if parts[0].endswith("*"):
                if len(parts[0]) < 4:
                    raise ValueError(f"cue {phrase!r}: a prefix needs at least 3 letters")
                wild.setdefault(parts[0][:3], []).append((parts, section, weight))
            else:
                by_first.setdefault(parts[0], []).append((parts, section, weight))
    return _CueIndex({k: tuple(v) for k, v in by_first.items()}, {k: tuple(v) for k, v in wild.items()}, tuple(regexes))


def _matches(tokens: Sequence[str], i: int, parts: tuple[str, ...]) -> bool:
    """Whether the phrase `parts` starts at token i; a part ending in "*" is kept as its prefix plus "*"."""
    if i + len(parts) > len(tokens):
        return False
    for part, token in zip(parts, tokens[i : i + len(parts)]):
        if part != token and not (part[-1] == "*" and token.startswith(part[:-1])):
            return False
    return True


def _add_cues(tokens: Sequence[str], scores: dict[Section, float]) -> None:
    index = _cue_index()
    for i, token in enumerate(tokens):
        for parts, section, weight in index.by_first.get(token, ()):
            if _matches(tokens, i, parts):
                scores[section] += weight
        for parts, section, weight in index.wild_first.get(token[:3], ()):
            if _matches(tokens, i, parts):
                scores[section] += weight
    joined = " " + " ".join(tokens) + " "
    for pattern, section, weight in index.regexes:
        n = len(pattern.findall(joined))
        if n:
            scores[section] += weight * n


def _is_number(token: str) -> bool:
    return any(c.isdigit() for c in token) or token in _NUMBER_WORDS or token.startswith("$")


def _subject_verbs(tokens: Sequence[str], subject: str) -> list[tuple[str, str]]:
    """The verb after each `subject` (skipping adverbs) and the word after that verb."""
    verbs = []
    for i, t in enumerate(tokens):
        if t != subject:
            continue
        j = i + 1
        while j < len(tokens) and j <= i + 3 and tokens[j] in _ADVERBS:
            j += 1
        if j < len(tokens):
            verbs.append((tokens[j], tokens[j + 1] if j + 1 < len(tokens) else ""))
    return verbs


def _is_past_verb(token: str) -> bool:
    return token in _IRREGULAR_PAST or (len(token) > 3 and token.endswith("ed"))


def _unit_scores(unit: _Unit, options: SegmentOptions) -> dict[Section, float]:
    scores = {s: 0.0 for s in SECTION_ORDER}
    if not unit.tokens:
        return scores
    _add_cues(unit.tokens, scores)
    for subject, weight in (("i", options.i_past_action), ("we", options.we_past_action)):
        for verb, after in _subject_verbs(unit.tokens, subject):
            other = _NOT_ACTION_PHRASE.get((verb, after)) or _NOT_ACTION_PAST.get(verb)
            if other is not None:
                scores[other] += weight * 0.5
            elif _is_past_verb(verb):
                scores[_A] += weight
            elif subject == "i" and verb.isalpha() and verb not in _NOT_HABITUAL and not verb.endswith("ing"):
                scores[_X] += options.habitual_reflection
    numbers = sum(1 for t in unit.tokens if _is_number(t))
    scores[_R] += options.number_result * min(numbers, 3)
    if numbers and any(t in _CHANGE_WORDS for t in unit.tokens):
        scores[_R] += options.change_with_number_result
    present = sum(1 for t in unit.tokens if t in _PRESENT_MARKERS)
    past = sum(1 for t in unit.tokens if t in _PAST_MARKERS or _is_past_verb(t))
    scores[_X] += options.present_reflection * present + options.past_reflection * min(past, 3)
    states = sum(1 for t in unit.tokens if t in _STATE_MARKERS)
    scores[_S] += options.state_situation * min(states, 3)
    scores[_T] += options.task_bias
    if "i" in unit.tokens or "we" in unit.tokens:
        scores[_A] += options.action_bias
    else:
        scores[_R] += options.outcome_bias
    return scores


def _emissions(units: Sequence[_Unit], unit_scores: Sequence[dict[Section, float]], options: SegmentOptions) -> list[dict[Section, float]]:
    total = units[-1].last
    out = []
    for unit, scores in zip(units, unit_scores):
        scores = dict(scores)
        if not unit.tokens:  # only fillers: no evidence either way, so it joins its neighbours
            out.append(scores)
            continue
        if unit.first == 0:
            scores[_S] += options.opening_situation
        centre = (unit.first + unit.last) / 2 / total
        share = (unit.last - unit.first) / total
        for section, (lo, hi) in _POSITION_RANGE.items():
            distance = max(0.0, lo - centre, centre - hi)
            # Scaled by the unit's share of the answer so short units are not pinned by position.
            scores[section] -= options.position_weight * distance * (1.0 + 10.0 * share)
        out.append(scores)
    return out


def _decode(emissions: Sequence[Mapping[Section, float]], units: Sequence[_Unit], options: SegmentOptions) -> list[Section]:
    """Viterbi over the fixed section order: each unit keeps its section or moves to a later one."""
    n_states = len(SECTION_ORDER)
    neg = float("-inf")
    best = [[neg] * n_states for _ in units]
    back = [[0] * n_states for _ in units]
    for s, section in enumerate(SECTION_ORDER):
        best[0][s] = emissions[0][section] - options.enter_cost
    for u in range(1, len(units)):
        bonus = min(options.pause_bonus_max, options.pause_bonus_per_s * units[u].pause_before_s)
        for s, section in enumerate(SECTION_ORDER):
            stay = best[u - 1][s]
            move, move_from = neg, s
            for prev in range(s):
                candidate = best[u - 1][prev] - options.enter_cost + bonus
                if candidate > move:
                    move, move_from = candidate, prev
            if stay >= move:
                best[u][s], back[u][s] = stay + emissions[u][section], s
            else:
                best[u][s], back[u][s] = move + emissions[u][section], move_from
    s = max(range(n_states), key=lambda k: best[-1][k])
    labels = [SECTION_ORDER[0]] * len(units)
    for u in range(len(units) - 1, -1, -1):
        labels[u] = SECTION_ORDER[s]
        s = back[u][s]
    return labels


# --- timing ---------------------------------------------------------------------------------------

# The seeds' per-section targets (the same on every seed page's "Target" lines). The bank's
# `Question.section(s).target_s` overrides them per question.
DEFAULT_TARGETS_S: Mapping[Section, float] = {_S: 30.0, _T: 20.0, _A: 90.0, _R: 20.0, _X: 15.0}

# A section is OVER when it runs longer than its target by more than this fraction of the target,
# and UNDER when it is shorter than this fraction of the target. The over margin allows for normal
# variation in speaking rate; the under line flags a section that was only touched on.
OVER_TOLERANCE = 0.25
UNDER_FRACTION = 0.4


class TimingStatus(StrEnum):
    OK = "ok"
    OVER = "over"
    UNDER = "under"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class SectionTiming:
    section: Section
    target_s: float
    duration_s: float | None  # None: the section is missing
    status: TimingStatus


@dataclass(frozen=True, slots=True)
class TotalTiming:
    """The whole answer (first word to last word) against the level's time budget."""

    duration_s: float
    budget_min_s: float
    budget_max_s: float
    status: TimingStatus  # OVER above the budget's maximum, UNDER below its minimum, MISSING if empty


def time_sections(spans: Sequence[Span], targets: Mapping[Section, float] = DEFAULT_TARGETS_S) -> tuple[SectionTiming, ...]:
    """All five sections in STAR order, each with its duration (None if missing) and status."""
    durations: dict[Section, float] = {}
    for span in spans:
        durations[span.section] = durations.get(span.section, 0.0) + span.duration_s
    timings = []
    for section in SECTION_ORDER:
        target = float(targets.get(section, DEFAULT_TARGETS_S[section]))
        duration = durations.get(section)
        if duration is None:
            status = TimingStatus.MISSING
        elif duration > target * (1.0 + OVER_TOLERANCE):
            status = TimingStatus.OVER
        elif duration < target * UNDER_FRACTION:
            status = TimingStatus.UNDER
        else:
            status = TimingStatus.OK
        timings.append(SectionTiming(section, target, duration, status))
    return tuple(timings)


def time_total(spans: Sequence[Span], budget_min_s: float, budget_max_s: float) -> TotalTiming:
    """The answer's length from its first word to its last, against the level's budget."""
    if not spans:
        return TotalTiming(0.0, budget_min_s, budget_max_s, TimingStatus.MISSING)
    duration = spans[-1].end_s - spans[0].start_s
    if duration > budget_max_s:
        status = TimingStatus.OVER
    elif duration < budget_min_s:
        status = TimingStatus.UNDER
    else:
        status = TimingStatus.OK
    return TotalTiming(duration, budget_min_s, budget_max_s, status)
