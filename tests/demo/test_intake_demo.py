"""The demo's intakes: every state of the review cycle, with rounds, comment threads and
statutory clocks that agree with the domain's rules and with each other."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.demo.caseload import DemoCaseload, generate_caseload
from app.demo.profiles import CASEWORKER, TEAM_LEAD, TEAM_LEAD_ENTITIES, _team_lead_records
from app.domain.clocks import Clock, ClockState, intake_clocks
from app.domain.intake import Intake
from app.domain.intake_fields import PW_DATES, WMO_DATES, WMO_REPORT_GIVEN, IntakeSection
from app.domain.records import Record
from app.domain.reference import Scheme
from app.domain.review import (
    Decision,
    IntakeRound,
    ReviewComment,
    ThreadStatus,
    changed_fields,
)
from app.domain.roles import Role
from app.domain.states import IntakeStatus
from server.policy import TEAM_LEAD_ENTITIES as SERVER_TEAM_LEAD_ENTITIES

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CASEWORKERS = (CASEWORKER, "m.bakker")


@pytest.fixture(scope="module")
def caseload() -> DemoCaseload:
    # The size `veldwerk demo` starts with.
    return generate_caseload(clients=400, caseworkers=CASEWORKERS, team_lead=TEAM_LEAD)


def _day(at: datetime) -> date:
    return at.astimezone(AMSTERDAM).date()


def _current(caseload: DemoCaseload) -> dict[str, Intake]:
    """Each client's newest intake: the generator lists a client's intakes oldest first."""
    return {i.client_id: i for i in caseload.intakes}


def _schemes(caseload: DemoCaseload, client_id: str, day: date) -> tuple[str, ...]:
    return tuple(
        e.scheme.value
        for e in caseload.enrollments
        if e.client_id == client_id and e.active_on(day)
    )


def _rounds(caseload: DemoCaseload) -> dict[str, list[IntakeRound]]:
    found: dict[str, list[IntakeRound]] = defaultdict(list)
    for kept in caseload.intake_rounds:
        found[kept.intake_id].append(kept)
    return {key: sorted(value, key=lambda r: r.number) for key, value in found.items()}


def _comments(caseload: DemoCaseload) -> dict[str, list[ReviewComment]]:
    found: dict[str, list[ReviewComment]] = defaultdict(list)
    for comment in caseload.review_comments:
        found[comment.intake_id].append(comment)
    return found


def _starts(comments: Iterable[ReviewComment]) -> list[ReviewComment]:
    return [c for c in comments if c.starts_thread]


def _clocks(intake: Intake) -> tuple[Clock, ...]:
    """The intake's statutory clocks; an approved intake stopped them on its approval day."""
    decided = (
        _day(intake.reviewed_at)
        if intake.status is IntakeStatus.APPROVED and intake.reviewed_at is not None
        else None
    )
    return intake_clocks(
        wmo_melding=intake.part_date(WMO_DATES[0]),
        wmo_report_given=intake.part_date(WMO_REPORT_GIVEN),
        wmo_aanvraag=intake.part_date(WMO_DATES[1]),
        pw_aanvraag=intake.part_date(PW_DATES[1]),
        decided=decided,
    )


def _mine(caseload: DemoCaseload, caseworker: str) -> list[Intake]:
    return [i for i in caseload.intakes if i.caseworker == caseworker]


# ------------------------------------------------------------------------------ answers


def test_submitted_and_approved_intakes_are_complete_for_the_clients_schemes(
    caseload: DemoCaseload,
) -> None:
    current = _current(caseload)
    checked = 0
    for intake in caseload.intakes:
        if intake.status is IntakeStatus.DRAFT:
            continue
        assert intake.submitted_at is not None
        if current[intake.client_id] is intake:
            schemes = _schemes(caseload, intake.client_id, caseload.today)
        else:  # an earlier intake: the schemes the client had then
            schemes = _schemes(caseload, intake.client_id, _day(intake.submitted_at))
        assert intake.missing(schemes) == [], (intake.status, schemes)
        assert intake.household_situation
        assert set(schemes) <= set(intake.consent)
        checked += 1
    assert checked > 200


def test_drafts_are_partly_filled_in(caseload: DemoCaseload) -> None:
    drafts = [i for i in caseload.intakes if i.status is IntakeStatus.DRAFT]
    assert drafts
    for draft in drafts:
        assert draft.missing(_schemes(caseload, draft.client_id, caseload.today))
    # Partly: a draft has some answers already.
    assert all(draft.scores for draft in drafts)
    assert any(draft.parts for draft in drafts)


def test_scheme_parts_look_real(caseload: DemoCaseload) -> None:
    pw = [i for i in caseload.intakes if i.status is not IntakeStatus.DRAFT and i.part(PW_DATES[1])]
    wmo = [
        i for i in caseload.intakes if i.status is not IntakeStatus.DRAFT and i.part(WMO_DATES[0])
    ]
    assert len(pw) > 50 and len(wmo) > 10
    for intake in pw:
        melding, aanvraag = (intake.part_date(name) for name in PW_DATES)
        assert melding is not None and aanvraag is not None and intake.submitted_at is not None
        assert 2 <= (aanvraag - melding).days <= 7
        assert aanvraag <= _day(intake.submitted_at)
    exemptions = Counter(i.part("pw_taaleis_exemption") for i in pw)
    assert exemptions["Nederlands als moedertaal"] > exemptions[None] > 0
    tested = [i for i in pw if not i.part("pw_taaleis_exemption")]
    assert any(i.part("pw_taaleis_notice_date") for i in tested)
    for intake in wmo:
        melding, report = intake.part_date(WMO_DATES[0]), intake.part_date(WMO_REPORT_GIVEN)
        assert melding is not None and report is not None and intake.submitted_at is not None
        assert melding < report <= _day(intake.submitted_at)
    # The onderzoek topics differ from client to client.
    texts = Counter(i.part("wmo_topic_needs") for i in wmo)
    assert len(texts) >= 4
    assert {i.part("wmo_mantelzorger_present") for i in wmo} == {True, False}


# ------------------------------------------------------------------------------- states


def test_every_state_for_the_demo_caseworker(caseload: DemoCaseload) -> None:
    rounds = _rounds(caseload)
    mine = _mine(caseload, CASEWORKER)
    current = _current(caseload)
    states = Counter(
        (i.status, i.round) for i in mine if current[i.client_id] is i
    )  # the intakes being worked on
    assert states[(IntakeStatus.DRAFT, 0)] >= 1
    assert states[(IntakeStatus.SUBMITTED, 1)] >= 1
    assert states[(IntakeStatus.SUBMITTED, 2)] >= 1  # resubmitted after a return
    assert 2 <= sum(n for (s, _), n in states.items() if s is IntakeStatus.RETURNED) <= 4
    assert states[(IntakeStatus.APPROVED, 1)] >= 1
    assert states[(IntakeStatus.APPROVED, 2)] >= 1  # returned once, then approved
    # Earlier approved intakes: a previous outline for the radar, 2-3 points on the history.
    per_client = Counter(i.client_id for i in mine)
    assert any(n >= 2 for n in per_client.values())
    assert any(n == 3 for n in per_client.values())
    for intake in mine:
        if current[intake.client_id] is not intake:
            assert intake.status is IntakeStatus.APPROVED
            assert [r.decision for r in rounds[intake.id]][-1] is Decision.APPROVED


def test_rounds_are_numbered_and_decided_consistently(caseload: DemoCaseload) -> None:
    rounds = _rounds(caseload)
    assert set(rounds) <= {i.id for i in caseload.intakes}
    for intake in caseload.intakes:
        kept = rounds.get(intake.id, [])
        assert [r.number for r in kept] == list(range(1, intake.round + 1))
        if intake.status is IntakeStatus.DRAFT:
            assert kept == [] and intake.round == 0
            continue
        for earlier, later in zip(kept, kept[1:], strict=False):
            assert earlier.decision is Decision.RETURNED
            assert earlier.decided_at is not None and earlier.decided_at < later.submitted_at
        for each in kept:
            assert each.client_id == intake.client_id and each.submitted_by == intake.caseworker
            if each.decision is not None:
                assert each.reviewer == TEAM_LEAD
                assert each.decided_at is not None and each.decided_at > each.submitted_at
        last = kept[-1]
        assert last.submitted_at == intake.submitted_at
        assert last.content == intake.content()
        if intake.status is IntakeStatus.SUBMITTED:
            assert last.decision is None and last.reviewer is None and last.decided_at is None
        else:
            expected = (
                Decision.APPROVED if intake.status is IntakeStatus.APPROVED else Decision.RETURNED
            )
            assert last.decision is expected
            assert last.reviewer == intake.reviewer == TEAM_LEAD
            assert last.decided_at == intake.reviewed_at


def test_a_resubmitted_round_shows_what_changed(caseload: DemoCaseload) -> None:
    rounds = _rounds(caseload)
    again = [i for i in caseload.intakes if i.round >= 2]
    resubmitted = [i for i in again if i.status is IntakeStatus.SUBMITTED]
    assert resubmitted
    for intake in again:
        first, *_ = rounds[intake.id]
        second = rounds[intake.id][1]
        changed = changed_fields(first.content, second.content)
        assert 2 <= len(changed) <= 4, changed
    for intake in resubmitted:
        assert changed_fields(rounds[intake.id][0].content, intake.content())


# ------------------------------------------------------------------------------ threads


def test_threads_agree_with_the_intakes(caseload: DemoCaseload) -> None:
    comments = _comments(caseload)
    by_id = {c.id: c for c in caseload.review_comments}
    assert len(by_id) == len(caseload.review_comments)
    intakes = {i.id: i for i in caseload.intakes}
    assert set(comments) <= set(intakes)
    for comment in caseload.review_comments:
        intake = intakes[comment.intake_id]
        assert comment.client_id == intake.client_id
        assert 1 <= comment.round <= intake.round
        assert comment.text.strip()
        if comment.starts_thread:
            assert comment.author == TEAM_LEAD and comment.author_role == Role.TEAM_LEAD.value
            if comment.status is ThreadStatus.RESOLVED:
                assert comment.resolved_by in (TEAM_LEAD, intake.caseworker)
                assert comment.resolved_at is not None
                assert comment.resolved_at >= comment.written_at
        else:
            start = by_id[comment.thread_id]
            assert start.starts_thread and start.section is comment.section
            assert comment.author == intake.caseworker
            assert comment.author_role == Role.CASEWORKER.value
            assert comment.written_at > start.written_at
    for intake in caseload.intakes:
        starts = _starts(comments.get(intake.id, []))
        open_threads = [s for s in starts if s.status is ThreadStatus.OPEN]
        if intake.status is IntakeStatus.APPROVED:
            assert open_threads == []
        elif intake.status is IntakeStatus.RETURNED:
            assert 1 <= len(open_threads) <= 2
            assert all(s.round == intake.round for s in open_threads)
        elif intake.status is IntakeStatus.DRAFT:
            assert starts == []
        # A round that was returned has its threads; one approved at once has none.
        for number in range(1, intake.round + 1):
            returned = number < intake.round or intake.status is IntakeStatus.RETURNED
            assert bool([s for s in starts if s.round == number]) is returned


def test_returned_intakes_show_answers_and_a_resolved_thread(caseload: DemoCaseload) -> None:
    comments = _comments(caseload)
    for caseworker in CASEWORKERS:
        returned = [i for i in _mine(caseload, caseworker) if i.status is IntakeStatus.RETURNED]
        resolved_by_me = [
            s
            for i in returned
            for s in _starts(comments[i.id])
            if s.status is ThreadStatus.RESOLVED and s.resolved_by == caseworker
        ]
        assert resolved_by_me
    # A resubmitted intake has every point of the returned round answered.
    for intake in caseload.intakes:
        if intake.status is not IntakeStatus.SUBMITTED or intake.round < 2:
            continue
        mine = comments[intake.id]
        answered = {c.thread_id for c in mine if not c.starts_thread}
        assert {s.id for s in _starts(mine)} == answered


def test_comments_cover_the_sections_of_the_form(caseload: DemoCaseload) -> None:
    sections = {c.section for c in caseload.review_comments}
    assert {
        IntakeSection.SCORES,
        IntakeSection.HOUSEHOLD,
        IntakeSection.CONSENT,
        IntakeSection.PARTICIPATIEWET,
    } <= sections
    assert any(c.text.startswith("Aangepast:") for c in caseload.review_comments)


def test_nothing_of_the_review_happens_after_the_demo_moment(caseload: DemoCaseload) -> None:
    now = datetime.combine(caseload.today, time(8, 0), tzinfo=AMSTERDAM)
    moments = [r.submitted_at for r in caseload.intake_rounds]
    moments += [r.decided_at for r in caseload.intake_rounds if r.decided_at]
    moments += [c.written_at for c in caseload.review_comments]
    moments += [c.resolved_at for c in caseload.review_comments if c.resolved_at]
    assert moments and all(m < now for m in moments)


# ------------------------------------------------------------------------------- clocks


@pytest.mark.parametrize(
    ("clients", "seed", "today"),
    [(400, 2026, None), (200, 11, None), (60, 7, date(2027, 4, 30)), (60, 3, date(2026, 12, 24))],
)
def test_statutory_clocks_run_out_for_the_demo_caseworker(
    clients: int, seed: int, today: date | None
) -> None:
    caseload = generate_caseload(clients=clients, seed=seed, today=today)
    for caseworker in CASEWORKERS:
        states = Counter(
            clock.state(caseload.today)
            for intake in _mine(caseload, caseworker)
            for clock in _clocks(intake)
        )
        assert states[ClockState.DUE_SOON] >= 2, states
        assert 1 <= states[ClockState.OVERDUE] <= 2, states  # a handful, not a backlog
        assert states[ClockState.RUNNING] >= 1
        assert states[ClockState.LATE] == 0  # approved intakes were decided in time
        assert states[ClockState.MET] >= 1


# ---------------------------------------------------------------------------- team lead


def test_the_team_lead_holds_exactly_the_team_lead_scope(caseload: DemoCaseload) -> None:
    assert TEAM_LEAD_ENTITIES == SERVER_TEAM_LEAD_ENTITIES
    waiting = {i.client_id for i in caseload.intakes if i.status is IntakeStatus.SUBMITTED}
    expected = [
        r
        for r in caseload.all_records()
        if r.client_id in waiting and r.ENTITY in SERVER_TEAM_LEAD_ENTITIES
    ]
    held = _team_lead_records(caseload)
    assert [(r.ENTITY, r.id) for r in held] == [(r.ENTITY, r.id) for r in expected]
    kinds = Counter(r.ENTITY for r in held)
    assert set(kinds) == set(SERVER_TEAM_LEAD_ENTITIES)
    assert kinds["client"] == len(waiting)
    # The queue comes with its rounds and threads: a resubmitted intake's answered comments.
    held_ids = {r.id for r in held}
    for intake in caseload.intakes:
        if intake.status is IntakeStatus.SUBMITTED:
            assert intake.id in held_ids
    assert any(isinstance(r, ReviewComment) and not r.starts_thread for r in held)


def test_the_same_seed_and_day_give_the_same_review_records() -> None:
    def snapshot(c: DemoCaseload) -> list[tuple[str, object]]:
        records: list[Record] = [*c.intakes, *c.intake_rounds, *c.review_comments]
        return [(r.id, r.to_fields()) for r in records]

    first = generate_caseload(clients=60, seed=7, today=date(2027, 1, 5))
    again = generate_caseload(clients=60, seed=7, today=date(2027, 1, 5))
    assert snapshot(first) == snapshot(again)
    assert first.intake_rounds and first.review_comments


def test_participatiewet_clients_are_the_urgent_ones(caseload: DemoCaseload) -> None:
    """The clocks set running out are Participatiewet decision terms of waiting intakes."""
    for caseworker in CASEWORKERS:
        urgent = [
            intake
            for intake in _mine(caseload, caseworker)
            for clock in _clocks(intake)
            if clock.state(caseload.today) in (ClockState.DUE_SOON, ClockState.OVERDUE)
        ]
        assert all(i.status is IntakeStatus.SUBMITTED for i in urgent)
        assert all(
            Scheme.PARTICIPATIEWET in _schemes(caseload, i.client_id, caseload.today)
            or i.part(PW_DATES[1])
            for i in urgent
        )
