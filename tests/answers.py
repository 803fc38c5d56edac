"""Hand-made answers for the rubric, probe and debrief tests: STAR-labelled text turned into a
`Transcript` with plausible word timings, plus the spans that label it (no segmenter involved)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mockint.bank import Question
from mockint.star import Section, Span
from mockint.transcript import Transcript, Word

S, T, A, R, X = Section.SITUATION, Section.TASK, Section.ACTION, Section.RESULT, Section.REFLECTION


@dataclass(frozen=True, slots=True)
class Answer:
    transcript: Transcript
    spans: tuple[Span, ...]


def build(
    parts: Sequence[tuple[Section, str]],
    *,
    wpm: float = 150.0,
    sentence_gap_s: float = 0.35,
    section_gap_s: float = 0.7,
    pause_before: dict[int, float] | None = None,
) -> Answer:
    """Words at `wpm` (a little longer for long words), short gaps after sentences and sections.
    `pause_before` maps a global word index to an extra silence (seconds) inserted before it."""
    base_s = 60.0 / wpm
    t = 0.4
    words: list[Word] = []
    spans: list[Span] = []
    extra = pause_before or {}
    for section, text in parts:
        mine: list[Word] = []
        for token in text.split():
            t += extra.get(len(words), 0.0)
            dur = base_s * (0.75 + min(len(token), 12) / 24)
            w = Word(token, round(t, 3), round(t + dur * 0.85, 3), 0.95)
            mine.append(w)
            words.append(w)
            t += dur
            if token.endswith((".", "?", "!")):
                t += sentence_gap_s
        if mine:
            spans.append(Span(section, mine[0].start_s, mine[-1].end_s, tuple(mine)))
        t += section_gap_s
    # A span ends where the next one starts (star.Span's convention).
    fixed = [
        Span(s.section, s.start_s, spans[i + 1].start_s if i + 1 < len(spans) else s.end_s, s.words)
        for i, s in enumerate(spans)
    ]
    return Answer(Transcript(tuple(words), duration_s=round(t + 0.5, 3)), tuple(fixed))


def strong_parts(q: Question) -> list[tuple[Section, str]]:
    """The seed page's strong example, section by section; the Reflection is the page's Senior Reflection."""
    parts = [(g.section, g.strong_example) for g in q.sections if g.section is not X]
    return [*parts, (X, q.senior_reflection)]


def make_question(
    qid: str = "test-question",
    *,
    action_key_phrases: tuple[str, ...] = (),
    lp_angles: tuple[tuple[str, str, str], ...] = (("Ownership", "Scope boundary and initiative.", "Team collaboration or escalation."),),
    probes: tuple[tuple[str, str, str, str, str, str], ...] = (),
    task_coaching: str = "Explicitly state the scope boundary to prove ownership was self-initiated.",
) -> Question:
    """A small but complete `Question` (every field the rubric, probes and debrief read)."""
    from mockint.bank import Level, LevelGuide, LpAngle, Probe, QuizItem, SectionGuide, WeakAnswer

    targets = {S: 30.0, T: 20.0, A: 90.0, R: 20.0, X: 15.0}
    sections = tuple(
        SectionGuide(
            section=sec,
            target_s=targets[sec],
            strong_example=f"Strong {sec.value} example.",
            key_phrases=action_key_phrases if sec is A else (),
            coaching=task_coaching if sec is T else f"Coaching for the {sec.value}.",
            common_mistake=f"Common {sec.value} mistake.",
        )
        for sec in (S, T, A, R, X)
    )
    levels = (
        LevelGuide(Level.SDE1, "Focus on the fix.", "I learned how to debug it.", "Basic ownership.", 90.0, 120.0),
        LevelGuide(Level.SDE2, "Between.", "I learned the deeper cause.", "Between.", 120.0, 150.0),
        LevelGuide(Level.SENIOR, "Add organizational thinking.", "The root cause was organizational.", "Systemic insight.", 150.0, 180.0),
    )
    return Question(
        id=qid,
        title="Tell me about a time you fixed something nobody owned",
        leadership_principles=("Ownership",),
        scenario="A scenario.",
        summary="A summary.",
        sections=sections,
        probes=tuple(Probe(*p) for p in probes),
        weak_answer=WeakAnswer("I escalated it.", ("Routing",), "Leaning No Hire for this LP."),
        quiz=(QuizItem("Which phrase?", "Because."),),
        lp_angles=tuple(LpAngle(n, f"Guidance for {n}.", e, d) for n, e, d in lp_angles),
        levels=levels,
        sde2_reflection="I learned the deeper cause.",
        senior_reflection="The root cause was organizational.",
    )


# --- good and flawed versions of the same story, across fields --------------------------------------
# Each flawed version keeps the story and breaks a few of the things the seeds check.

PAIRS: dict[str, tuple[list[tuple[Section, str]], list[tuple[Section, str]]]] = {
    "nursing-handover": (
        [
            (S, "On my ward, medication doses were being missed at the night shift handover, about four missed doses a week, which put patients at risk."),
            (T, "Handover was not my responsibility as a staff nurse and nobody had asked me to look at it, but I decided to own it."),
            (A, "I pulled the incident reports for the last three months. I mapped every missed dose to the handover step where it was lost. I drafted a one page handover checklist. I trained the night staff on it myself over two weeks. I audited twenty handovers to check the checklist was used."),
            (R, "Missed doses fell from four a week to zero within a month. That saved roughly ten hours a week of incident paperwork and removed a patient safety risk. The hospital adopted my checklist as the standard for every ward."),
            (X, "The root cause was a process gap: handover had no owner and no shared checklist across shifts. I now look for the missing owner first."),
        ],
        [
            (S, "On my ward, medication doses were sometimes missed at the night shift handover."),
            (T, "My manager suggested I look into this since I had bandwidth."),
            (A, "We looked at the incident reports together. We talked about it in the team meeting. They updated the handover process."),
            (R, "Things got better and the team was happy."),
            (X, "I learned that communication is important."),
        ],
    ),
    "retail-stockouts": (
        [
            (S, "In my store, our best selling shoes were out of stock three days a week, and customers were walking out."),
            (T, "Ordering belonged to the regional buyer, not my team, and there was no ticket for it, but I took it on."),
            (A, "I pulled six months of sales data from the till system. I found that the reorder point ignored weekend peaks. I built a simple spreadsheet forecast by weekday. I presented it to the regional buyer with the lost sales figures. I ran a four week trial in my store."),
            (R, "Stockouts went from three days a week to less than one day a month. Sales of that line rose twelve percent, about four thousand pounds a month. The regional buyer rolled out my forecast to the other stores."),
            (X, "The real gap was that store staff saw the stockouts but had no shared process to feed data back to buying. Next time I would set up that feedback loop first."),
        ],
        [
            (S, "In my store, our best selling shoes were often out of stock and customers were walking out."),
            (T, "I was asked to look into it by my area manager."),
            (A, "I told the regional buyer about it. They changed the ordering and I helped a bit."),
            (R, "The stock situation improved and the customers were happier."),
            (X, "I learned that teamwork is important."),
        ],
    ),
    "teaching-attendance": (
        [
            (S, "At my school, attendance in year nine had fallen to eighty one percent, and those students were falling behind in maths."),
            (T, "Attendance was the pastoral team's job, not mine as a maths teacher, and nobody had asked me to act."),
            (A, "I pulled the attendance records for my three year nine classes. I phoned the parents of the twelve most absent students. I set up a Monday morning maths club with breakfast. I tracked each student's attendance every week in a shared sheet."),
            (R, "Attendance for those classes rose from eighty one to ninety two percent in one term. Their maths grades went up by half a grade on average. The head made the breakfast club a standard for every year group."),
            (X, "The systemic problem was that no one owned attendance for specific subjects, so nobody saw the link to maths. I now raise attendance data in every department meeting."),
        ],
        [
            (S, "At my school, we had a big attendance problem in year nine."),
            (T, "I started investigating."),
            (A, "We decided as a department to start a breakfast club. We phoned some parents. We tracked attendance."),
            (R, "Attendance got better and it was good for the students."),
            (X, "I learned a lot about teamwork."),
        ],
    ),
    "logistics-late-deliveries": (
        [
            (S, "At the depot, fifteen percent of our next day parcels were arriving late, and two big clients had complained."),
            (T, "Route planning was owned by the central planning team, not my team, and no ticket existed, but I decided to fix it."),
            (A, "I pulled the GPS logs for a month of routes. I traced the delays to a loading order that put the first drops at the back of the van. I rewrote the loading sheet so the last drop goes in first. I trained the morning shift on it. I checked the on time rate every day for three weeks."),
            (R, "Late deliveries dropped from fifteen percent to four percent. We kept both clients, worth about two hundred thousand a year. Central planning adopted the loading sheet for all twelve depots."),
            (X, "The root cause was that loading and routing were owned by different teams with no shared on time metric. I learned to look for handoffs with no shared measure."),
        ],
        [
            (S, "At the depot, let me first explain how our network works. We have a hub and spoke architecture with regional sorting centres, a routing layer, a scanning pipeline, a tracking database and a van allocation system. Each depot runs its own cluster of scanners feeding the central database."),
            (T, "My manager asked me to look at late deliveries."),
            (A, "We looked at the data and we changed the loading order. We trained the morning shift."),
            (R, "Deliveries were kind of faster after that, I think maybe."),
            (X, "I learned to communicate better."),
        ],
    ),
    "finance-month-end": (
        [
            (S, "In finance, our month end close took nine working days, so leadership got numbers too late to act on them."),
            (T, "The close process belonged to the controller's team, not mine, and nobody had asked me to change it."),
            (A, "I timed every close step for two months. I found that four days went on manual bank reconciliations. I wrote a matching script for the three biggest accounts. I tested it against three past closes. I documented it and trained two colleagues."),
            (R, "The close went from nine days to five. Leadership got the numbers four days earlier, and we cut about forty hours of overtime a month. The controller made the script part of the standard close checklist."),
            (X, "The deeper issue was that nobody owned the close end to end, so each team optimised its own step. I now map the whole process before fixing a step."),
        ],
        [
            (S, "In finance, our month end close took too long."),
            (T, "I decided to help."),
            (A, "I escalated it to the controller. I sent an email to the team lead. They handled the reconciliations."),
            (R, "The close got a bit shorter."),
            (X, "I learned that communication is important."),
        ],
    ),
    "restaurant-food-waste": (
        [
            (S, "In my restaurant kitchen, we were throwing away about three hundred dollars of prepped food every night."),
            (T, "Ordering and prep planning were the head chef's job, not mine, and nobody had asked me to look at it."),
            (A, "I weighed the waste bins every night for two weeks. I matched the waste to the prep list and found we prepped for Saturday volumes every day. I wrote a prep list by day of the week from the booking data. I ran it for a month and adjusted it weekly."),
            (R, "Waste fell from three hundred dollars a night to about eighty, saving over six thousand dollars a month. The owner adopted the day by day prep list in our second restaurant."),
            (X, "The root cause was that bookings and prep planning lived in separate places with no shared process. I learned to connect the data before changing the routine."),
        ],
        [
            (S, "In my restaurant kitchen, we were throwing away a lot of food."),
            (T, "The head chef told me to sort it out."),
            (A, "We talked about the prep list. We made some changes together. Everyone tried harder."),
            (R, "Things improved and the owner was happy with it."),
            (X, "I learned to work harder and communicate more."),
        ],
    ),
    "construction-safety": (
        [
            (S, "On our building site, we had six near misses with the tower crane in one quarter, which risked a serious injury and a site shutdown."),
            (T, "Crane safety belonged to the lifting contractor, not my team, and no one had asked me as site engineer to get involved."),
            (A, "I reviewed all six near miss reports. I traced five of them to unclear radio calls between the banksman and the operator. I wrote a standard call script. I ran a briefing with both crews. I audited lifts on site every day for a month."),
            (R, "Near misses dropped from six a quarter to zero over the next two quarters. We avoided a shutdown that would have cost about fifty thousand pounds a week. The contractor adopted my call script across all their sites."),
            (X, "The root cause was organisational: two companies shared the crane but had no shared safety standard. I now check every shared resource for a shared standard."),
        ],
        [
            (S, "On our building site, there were some near misses with the crane."),
            (T, "I noticed this and wanted to help."),
            (A, "I raised a ticket with the contractor. They looked into it and fixed the radio procedure."),
            (R, "It got better after that, and the team was happy."),
            (X, "Safety is important."),
        ],
    ),
    "software-flaky-ci": (
        [
            (S, "Our CI pipeline failed on about twenty percent of builds because of flaky tests, and engineers were re running builds all day."),
            (T, "The test infrastructure belonged to the platform team, not my team, and there was no ticket for it."),
            (A, "I pulled the results of the last thousand builds. I ranked tests by failure rate and found ten tests caused most failures. I fixed the six that had timing bugs. I quarantined the other four with an owner each. I added a dashboard that shows flaky tests every week."),
            (R, "Flaky failures went from twenty percent to two percent. That saved about sixty engineer hours a week. The platform team adopted the quarantine process for every repository."),
            (X, "The root cause was that no team owned test health across repositories, so flakiness was everybody's problem and nobody's job. I learned to make ownership visible with a dashboard."),
        ],
        [
            (S, "Our CI pipeline was flaky."),
            (T, "I wanted to look into it."),
            (A, "We figured out the root cause together. We fixed some tests. We added a dashboard."),
            (R, "The builds were more stable after that."),
            (X, "I learned a lot."),
        ],
    ),
}
