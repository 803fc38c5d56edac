"""The segmenter's vocabulary, as data: cue phrases per STAR section and the word classes its features use.

Pure data and standard library only; how the cues are scored and decoded is star.py. Written from how people
tell STAR stories in any field, not from any one example story.
"""

from __future__ import annotations

# Sections by their star.Section values (star.py imports this module, so not the enum itself).
_S, _T, _A, _R, _X = "situation", "task", "action", "result", "reflection"

# --- cue phrases -------------------------------------------------------------------------
# Each cue is a phrase of lower-case tokens and a weight added to the unit's score for that section
# each time the phrase occurs. A token ending in "*" matches any word with that prefix; a cue starting
# with "re:" is a regular expression over the space-joined tokens.
# Written from how people tell STAR stories in any field, not from any one example story.


CUES: dict[str, tuple[tuple[str, float], ...]] = {
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
ADVERBS = frozenset(
    "then also just actually immediately quickly first personally basically really eventually finally even "
    "always usually now often generally normally deliberately "
    "still again instead later next both all myself ourselves obviously honestly literally carefully "
    "directly manually slowly gradually".split()
)
# Past-tense verbs after "I" that are not actions: they say what the speaker was, knew or wanted.
NOT_ACTION_PAST: dict[str, str] = {
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
NOT_HABITUAL = frozenset(
    "was were had would could should might will can can't cannot did didn't do don't am 'm have has "
    "just also then".split()
)
# "I took ownership", "I had to", "I was asked": past tense, but they state the task, not an action.
NOT_ACTION_PHRASE: dict[tuple[str, str], str] = {
    ("took", "ownership"): _T, ("took", "responsibility"): _T, ("took", "charge"): _T, ("took", "it"): _T,
    ("took", "on"): _T, ("took", "initiative"): _T, ("had", "to"): _T, ("was", "responsible"): _T, ("was", "asked"): _T,
    ("was", "tasked"): _T, ("was", "given"): _T, ("was", "expected"): _T, ("were", "asked"): _T,
    ("got", "asked"): _T, ("was", "supposed"): _T, ("were", "supposed"): _T,
    ("managed", "a"): _S, ("managed", "an"): _S, ("managed", "the"): _S, ("managed", "our"): _S,
    # Whisper often hears a quick "I was a" as "I won a"; an award is rarely "won a" in a Situation.
    ("won", "a"): _S, ("won", "an"): _S,
    ("volunteered", "to"): _T, ("said", "i'd"): _T, ("said", "i"): _T, ("promised", "to"): _T,
}
IRREGULAR_PAST = frozenset(
    "went wrote made took built met sat put set ran spoke told got brought found gave kept began led sent "
    "chose drew taught caught bought sold held did came began broke drove flew fed hung hid left lent let "
    "paid rang rewrote redid rebuilt rode said sought shut sang split spent stood stuck swept swung threw "
    "tore undertook upheld wound withdrew won oversaw forgave froze grabbed knew laid meant overheard "
    "dug dealt shook".split()
)
PRESENT_MARKERS = frozenset("is are am i'm it's that's don't doesn't isn't aren't i've we've you".split())
PAST_MARKERS = frozenset("was were had did didn't wasn't weren't".split())
# Past states ("growth had stalled", "the team was split") set a scene; actions are done, not been.
STATE_MARKERS = frozenset("was were wasn't weren't had hadn't kept used 'd".split())
NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million billion half double twice percent".split()
)
CHANGE_WORDS = frozenset(
    "dropped went reduced increased improved cut saved grew doubled halved tripled rose fell decreased "
    "down up from lowered raised boosted shrank climbed jumped gained lost".split()
)
# Phrases that start a new unit even mid-sentence, and (when punctuation is scarce) discourse markers.
SIGNPOSTS = (
    "as a result", "the result was", "in the end", "looking back", "in hindsight", "in retrospect",
    "the real root cause", "the real lesson", "what i took away", "the thing i'd do differently",
    "what i learned", "i learned", "the lesson", "my task", "my job was", "my role was", "my goal",
    "the goal was", "what i did", "the first thing i did", "the situation was", "the outcome",
    "if i did it again", "next time", "the biggest lesson", "the takeaway", "my responsibility",
)
# Where a new sentence may start when Whisper has run two together without punctuation.
SUBJECTS = frozenset("i we he she they it my our the this that".split())
MARKERS = (
    "so", "and then", "then", "after that", "but", "eventually", "finally", "because", "and so", "and i",
    "and we", "and by", "and in the end", "and now",
)




# --- phrase groups: features the segmenter learns weights for (star_model.json) ---------------------------------
# Written from how people in any field say what was going on, what they had to do, what they did, what came
# of it and what they learned; each group is one feature (how many of its phrases a piece holds).
_ASKED = (
    "asked me", "was asked", "were asked", "asked if i", "asked whether i", "told me to", "wanted me to",
    "needed me to", "approached me", "came to me", "put me in charge", "gave me", "assigned", "handed me",
    "tasked", "brought in", "my manager asked", "my boss asked", "they asked", "he asked", "she asked",
)
_CHOSE = (
    "volunteered", "offered to", "stepped up", "decided to", "took it on", "took on", "took ownership",
    "took responsibility", "took the lead", "i chose to", "set myself", "made it my", "i wanted to",
    "i decided", "i took it upon", "i offered",
)
_OBLIGED = (
    "had to", "needed to", "need to", "have to", "must", "supposed to", "up to me", "down to me", "on me",
    "my job", "my role", "my responsibility", "responsib*", "in charge", "fell to", "fell on", "it was my",
    "i was the one", "the one who",
)
_GOAL = (
    "goal", "aim", "target", "objective", "mission", "the task", "my task", "the challenge", "challenge was",
    "the job was", "the point was", "make sure", "ensure", "in order to", "so that", "get it", "keep the",
    "without", "had been asked",
)
_DEADLINE = (
    "deadline", "within", "in time", "only had", "left to", "before the", "by the end", "due",
    "re:by (monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|tomorrow|noon|midnight)",
    "re:([0-9]+|a|one|two|three|four|five|six|ten|48|24) (days|weeks|hours|months|minutes) (to|until|before|left)",
)
_SCOPE = (
    "not my", "wasn't my", "was not my", "nobody", "no one", "outside my", "no ticket", "nobody asked",
    "wasn't part of", "not part of", "no owner", "nobody owned",
)
_OUTCOME = (
    "as a result", "in the end", "result*", "outcome", "ended up", "eventually", "by the end", "since then",
    "now", "went from", "dropped", "fell", "rose", "increased", "reduced", "improved", "cut", "saved",
    "doubled", "halved", "zero", "no longer", "stopped", "it worked", "success*", "on time", "finished",
    "delivered", "launched", "passed", "went live", "got the", "we got", "made it", "back to", "within",
    "was fixed", "were fixed", "solved", "resolved", "won", "hit", "reached", "exceeded", "kept", "never",
)
_FEEDBACK = (
    "thanked", "thank*", "praised", "feedback", "recogni*", "award*", "promoted", "happy", "pleased",
    "impressed", "grateful", "relieved", "said i", "told me", "wrote to", "asked me to",
)
_LESSON = (
    "learned", "learnt", "lesson", "taught me", "realized", "realised", "showed me", "takeaway", "take away",
    "reminded me", "i now", "now i", "since then i", "ever since", "going forward", "from now on",
    "always", "never again", "made me", "understand", "the biggest thing",
)
_HINDSIGHT = (
    "looking back", "in hindsight", "in retrospect", "if i did it again", "if i were", "next time", "would have",
    "should have", "could have", "differently", "i would", "i'd", "wish i", "if i had", "again i",
)
_ROOT_CAUSE = (
    "root cause", "the real cause", "the real problem", "the underlying", "the deeper", "organizational",
    "organisational", "systemic", "the bigger problem", "what was really", "the real issue", "no shared",
    "the gap was", "at its root", "the reason it happened",
)
_GENERIC = ("you have to", "you need to", "it's important", "is important", "you can't", "people", "the key", "matters")
_SETTING = (
    "at my", "when i was", "while i was", "i worked", "i was working", "years ago", "last year", "during my",
    "i was a", "i was an", "i was the", "as a", "in my role", "in my first", "i had just", "we had",
    "there was", "there were", "our team", "the company", "a company", "at the time", "back then", "used to",
    "every", "was a", "were a", "had been", "was having", "were having",
)
_PROBLEM = (
    "problem", "issue", "broken", "fail*", "complain*", "behind", "short", "late", "struggl*", "mess",
    "backlog", "crisis", "risk", "wrong", "missing", "lost", "losing", "delay*", "angry", "upset", "slow",
)
_SEQUENCE = (
    "first", "then", "next", "after that", "afterwards", "finally", "second", "third", "also", "meanwhile",
    "at the same time", "once", "so i", "and i", "i started", "i began", "to do that", "step",
)
GROUPS: dict[str, tuple[str, ...]] = {
    "asked": _ASKED, "chose": _CHOSE, "obliged": _OBLIGED, "goal": _GOAL, "deadline": _DEADLINE, "scope": _SCOPE,
    "task": _ASKED + _CHOSE + _OBLIGED + _GOAL + _DEADLINE + _SCOPE,
    "outcome": _OUTCOME, "feedback": _FEEDBACK, "result": _OUTCOME + _FEEDBACK,
    "lesson": _LESSON, "hindsight": _HINDSIGHT, "rootcause": _ROOT_CAUSE, "generic": _GENERIC,
    "setting": _SETTING, "problem": _PROBLEM, "sequence": _SEQUENCE,
}  # fmt: skip

# A piece that opens by naming its part, as CAR/STAR templates teach ("Challenge: ...", "Result:").
LABEL_WORDS: dict[str, str] = {
    "situation": "situation", "context": "situation", "background": "situation", "setting": "situation",
    "task": "task", "challenge": "task", "obstacle": "task", "goal": "task", "problem": "situation",
    "action": "action", "actions": "action", "approach": "action", "steps": "action",
    "result": "result", "results": "result", "outcome": "result", "impact": "result",
    "learning": "reflection", "lesson": "reflection", "reflection": "reflection", "takeaway": "reflection",
}
# The word a piece opens with says how it joins the one before.
OPENERS = ("so", "and", "but", "then", "because", "which", "after", "when", "now", "as", "since", "by")
# A closing part opened by one of these is a Reflection, whatever it goes on to say (LABELLING.md).
HINDSIGHT_TURNS = (
    "looking back", "in hindsight", "in retrospect", "if i did it again", "if i did that again", "if i were to",
    "if i had to do", "if i could do", "next time", "what i would do differently", "what i'd do differently",
    "learning", "the real root cause", "the root cause was", "the real lesson", "on reflection", "reflecting on",
)
