"""The today screen's data: today's visits in route order by village, then what is overdue.

Every name, address and BSN here is made up; the BSNs are generated to pass the 11-check.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.client import Client
from app.domain.intake import Intake, IntakeSection
from app.domain.plan import ActionOwner, ClientPlan, PlanAction
from app.domain.records import Record
from app.domain.review import ReviewComment
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.domain.visit import Visit, VisitPurpose
from app.services.today import route_key, today_items
from app.storage.store import Store
from tests.services.profiles import opened_profile

ME = "k.dijkstra"
OTHER = "m.bakker"
TODAY = date(2026, 11, 23)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with opened_profile(tmp_path, "today", username=ME, role="caseworker") as opened:
        yield opened


_serial = iter(range(10_000_000, 99_999_999, 7919))


def _bsn() -> Bsn:
    while True:
        head = str(next(_serial))
        total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return Bsn(head + str(check))


def _client(surname: str, village: str, postcode: str, street: str = "Hoofdstraat") -> Client:
    return Client(
        bsn=_bsn(),
        name=PersonName(surname=surname, first_names="Anna"),
        date_of_birth=date(1980, 5, 17),
        address=Address(
            street=street,
            house_number=3,
            postcode=Postcode(postcode),
            village=village,
            municipality="Het Hogeland",
        ),
        caseworker=ME,
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def _visit(
    client: Client,
    when: datetime,
    *,
    purpose: VisitPurpose = VisitPurpose.VOORTGANG,
    status: VisitStatus = VisitStatus.PLANNED,
    caseworker: str = ME,
) -> Visit:
    return Visit(
        client_id=client.id,
        planned_at=when,
        purpose=purpose,
        caseworker=caseworker,
        status=status,
        recorded_at=None if status is VisitStatus.PLANNED else when + timedelta(hours=1),
    )


def _thread(intake: Intake, section: IntakeSection, text: str, *, days: int) -> ReviewComment:
    """An open thread the team lead started on the intake's first round."""
    return ReviewComment(
        client_id=intake.client_id,
        intake_id=intake.id,
        section=section,
        round=1,
        author="t.mulder",
        author_role="team_lead",
        text=text,
        written_at=_at(TODAY - timedelta(days=days), 15),
    )


def _action(
    plan: ClientPlan,
    description: str,
    due: date,
    *,
    owner: ActionOwner = ActionOwner.CASEWORKER,
    status: ActionStatus = ActionStatus.OPEN,
) -> PlanAction:
    return PlanAction(
        client_id=plan.client_id,
        plan_id=plan.id,
        description=description,
        owner=owner,
        due_date=due,
        status=status,
    )


def _save(store: Store, records: list[Record]) -> None:
    with store.transaction() as tx:
        tx.create_many(records)


def test_todays_visits_in_route_order_by_village(store: Store) -> None:
    bedum_a = _client("Jansen", "Bedum", "9781 AB", "Molenweg")
    bedum_b = _client("Bakker", "Bedum", "9781 CD", "Kerkstraat")
    winsum = _client("Visser", "Winsum", "9951 AA")
    uithuizen = _client("Smit", "Uithuizen", "9981 AB")
    sauwerd = _client("Mulder", "Sauwerd", "9771 AA")
    city = _client("Bos", "Groningen", "9712 AB")  # not in the reference: its own postcode
    late_night = _client("Vos", "Ulrum", "9971 AA")
    visits = [
        _visit(uithuizen, _at(TODAY, 9)),
        _visit(bedum_a, _at(TODAY, 14)),
        _visit(bedum_b, _at(TODAY, 10, 30), purpose=VisitPurpose.HERONDERZOEK),
        _visit(winsum, _at(TODAY, 11), status=VisitStatus.DONE),
        _visit(sauwerd, _at(TODAY, 16), status=VisitStatus.CANCELLED),
        _visit(city, _at(TODAY, 15)),
        # 00:30 in Groningen is still the day before in UTC: it belongs to today.
        _visit(late_night, _at(TODAY, 0, 30)),
        # Tomorrow, and another caseworker's visit today: not on this list.
        _visit(bedum_a, _at(TODAY + timedelta(days=1), 9)),
        _visit(winsum, _at(TODAY, 13), caseworker=OTHER),
    ]
    _save(store, [bedum_a, bedum_b, winsum, uithuizen, sauwerd, city, late_night, *visits])

    view = today_items(store, TODAY, caseworker=ME, zone=AMSTERDAM)

    assert view.day == TODAY
    assert [g.village for g in view.villages] == [
        "Groningen",
        "Bedum",
        "Winsum",
        "Ulrum",
        "Uithuizen",
    ]
    assert [g.postcode_digits for g in view.villages] == ["9712", "9781", "9951", "9971", "9981"]
    bedum = view.villages[1]
    assert [(v.planned_at.strftime("%H:%M"), v.client_name) for v in bedum.visits] == [
        ("10:30", "Anna Bakker"),
        ("14:00", "Anna Jansen"),
    ]
    first = bedum.visits[0]
    assert (first.street_line, first.postcode, first.purpose_label) == (
        "Kerkstraat 3",
        "9781 CD",
        "Heronderzoek",
    )
    assert first.client_id == bedum_b.id
    done = view.villages[2].visits[0]
    assert (done.status, done.status_label) == ("done", "afgerond")
    assert view.villages[3].visits[0].planned_at.strftime("%H:%M") == "00:30"
    assert view.visit_count == 6
    assert view.overdue == ()

    # Without a caseworker filter the other caseworker's visit shows too.
    assert today_items(store, TODAY, zone=AMSTERDAM).visit_count == 7


def test_overdue_items_oldest_first(store: Store) -> None:
    anna = _client("Jansen", "Bedum", "9781 AB")
    piet = _client("Visser", "Winsum", "9951 AA")
    other_clients = _client("Smit", "Leens", "9965 AA")
    yesterday = TODAY - timedelta(days=1)
    visits = [
        _visit(anna, _at(TODAY - timedelta(days=3), 10)),  # planned, never recorded
        _visit(piet, _at(yesterday, 23, 30)),  # late last night: overdue by a day
        _visit(anna, _at(yesterday, 9), status=VisitStatus.DONE),
        _visit(piet, _at(TODAY - timedelta(days=20), 9), status=VisitStatus.CANCELLED),
        _visit(piet, _at(TODAY - timedelta(days=2), 9), caseworker=OTHER),
        _visit(anna, _at(TODAY, 8)),  # today, even if the hour has passed: not overdue
    ]
    active = ClientPlan(
        client_id=anna.id,
        caseworker=ME,
        status=PlanStatus.ACTIVE,
        goals=("Werk vinden",),
    )
    actions = [
        _action(active, "Aanmelden bij het werkplein", TODAY - timedelta(days=5)),
        _action(
            active,
            "Cv bijwerken",
            TODAY - timedelta(days=40),
            owner=ActionOwner.CLIENT,
            status=ActionStatus.IN_PROGRESS,
        ),
        _action(active, "Klaar", TODAY - timedelta(days=9), status=ActionStatus.DONE),
        _action(active, "Vervallen", TODAY - timedelta(days=9), status=ActionStatus.CANCELLED),
        _action(active, "Later", TODAY + timedelta(days=3)),
        _action(active, "Vandaag", TODAY),
        _action(active, "Verwijderd", TODAY - timedelta(days=6)),
    ]
    draft = ClientPlan(client_id=piet.id, caseworker=ME)
    actions.append(_action(draft, "Nog niet actief", TODAY - timedelta(days=30)))
    returned = Intake(
        client_id=piet.id,
        caseworker=ME,
        status=IntakeStatus.RETURNED,
        reviewer="t.mulder",
        round=1,
        reviewed_at=_at(TODAY - timedelta(days=10), 15),
    )
    submitted = Intake(client_id=anna.id, caseworker=ME, status=IntakeStatus.SUBMITTED)
    others_returned = Intake(
        client_id=other_clients.id,
        caseworker=OTHER,
        status=IntakeStatus.RETURNED,
        reviewer="t.mulder",
        round=1,
        reviewed_at=_at(TODAY - timedelta(days=2), 15),
    )
    said = _thread(returned, IntakeSection.GENERAL, "Graag de schulden toelichten.", days=10)
    # A resolved thread and an answer are not what the caseworker still has to do.
    settled = _thread(returned, IntakeSection.SCORES, "Score financiën?", days=11).resolved(
        by=ME, at=_at(TODAY - timedelta(days=9), 9)
    )
    answer = ReviewComment(
        client_id=piet.id,
        intake_id=returned.id,
        section=IntakeSection.GENERAL,
        round=1,
        author=ME,
        text="Komt eraan.",
        written_at=_at(TODAY - timedelta(days=9), 10),
        thread_id=said.id,
    )
    not_mine = _thread(others_returned, IntakeSection.GENERAL, "Niet van mij.", days=2)
    _save(
        store,
        [
            anna,
            piet,
            other_clients,
            *visits,
            active,
            draft,
            *actions,
            returned,
            submitted,
            others_returned,
        ],
    )
    _save(store, [said, settled, answer, not_mine])
    # A removed action is no longer the caseworker's to do.
    store.delete(PlanAction, actions[6].id)

    view = today_items(store, TODAY, caseworker=ME, zone=AMSTERDAM)

    assert [(i.kind, i.since, i.days_overdue) for i in view.overdue] == [
        ("plan_action", TODAY - timedelta(days=40), 40),
        ("intake_returned", TODAY - timedelta(days=10), 10),
        ("plan_action", TODAY - timedelta(days=5), 5),
        ("visit", TODAY - timedelta(days=3), 3),
        ("visit", yesterday, 1),
    ]
    by_kind = {(i.kind, i.detail): i for i in view.overdue}
    assert by_kind[("plan_action", "Cv bijwerken")].client_id == anna.id
    assert by_kind[("plan_action", "Cv bijwerken")].record_id == active.id
    intake = next(i for i in view.overdue if i.kind == "intake_returned")
    assert (intake.title, intake.client_name, intake.village) == (
        "Intake teruggestuurd",
        "Anna Visser",
        "Winsum",
    )
    assert intake.detail == "Door t.mulder: Graag de schulden toelichten."
    late = [i for i in view.overdue if i.kind == "visit"]
    assert [i.title for i in late] == ["Huisbezoek niet vastgelegd"] * 2
    assert late[0].detail == f"Voortgang, {(TODAY - timedelta(days=3)).strftime('%d-%m-%Y')} 10:00"
    assert late[1].client_id == piet.id

    # Today's 08:00 visit is today's, not overdue.
    assert [v.planned_at.hour for g in view.villages for v in g.visits] == [8]

    english = today_items(store, TODAY, caseworker=ME, language="en", zone=AMSTERDAM)
    assert english.overdue[1].title == "Intake returned"
    assert english.overdue[-1].title == "Home visit not recorded"


def _agreed(plan: ClientPlan, actions: list[PlanAction], on: date) -> ClientPlan:
    """The plan signed by both on `on` (drawn on the screen) and made active."""
    from app.domain.plan import Signature, SignatureMethod, SignerRole, content_hash

    content = content_hash(plan, actions)
    for role, signer in ((SignerRole.CLIENT, "Anna"), (SignerRole.CASEWORKER, plan.caseworker)):
        signature = Signature(
            signer,
            SignatureMethod.DIGITAL,
            _at(on, 10),
            strokes=(((10.0, 10.0, 0.5, 0), (20.0, 12.0, 0.5, 8)),),
        )
        plan = plan.sign(role, signature, content=content)
    return plan.activate(at=_at(on, 10, 5))


def test_plan_evaluations_due_within_two_weeks_or_past_are_listed(store: Store) -> None:
    soon = _client("Jansen", "Bedum", "9781 AB")
    late = _client("Visser", "Winsum", "9951 AA")
    edge = _client("Smit", "Leens", "9965 AA")
    far = _client("Bos", "Ulrum", "9971 AA")
    drafted = _client("Mulder", "Sauwerd", "9771 AA")
    ended = _client("Vos", "Uithuizen", "9981 AB")
    theirs = _client("Dijk", "Zoutkamp", "9974 AA")

    def plan(client: Client, caseworker: str = ME, **content: Any) -> ClientPlan:
        return ClientPlan(client_id=client.id, caseworker=caseworker).edited(
            goals=("Werk vinden",), **content
        )

    # Agreed a year less eight days ago, no date set: evaluated a year after the last
    # signature.
    due_soon = _agreed(plan(soon), [], date(2025, 12, 1))
    assert due_soon.evaluation_due() == TODAY + timedelta(days=8)
    # A single parent exempted from the work obligations is seen again after six months.
    overdue = _agreed(plan(late, single_parent_exemption=True), [], date(2026, 5, 19))
    assert overdue.evaluation_due() == TODAY - timedelta(days=4)
    # Exactly two weeks ahead shows; a day later does not yet.
    on_the_edge = _agreed(plan(edge, next_evaluation=TODAY + timedelta(days=14)), [], TODAY)
    not_yet = _agreed(plan(far, next_evaluation=TODAY + timedelta(days=15)), [], TODAY)
    # A draft (even with a date) and a closed plan are not evaluated; nor another's plan here.
    draft = plan(drafted, next_evaluation=TODAY - timedelta(days=3))
    closed = _agreed(
        plan(ended, next_evaluation=TODAY - timedelta(days=2)), [], date(2026, 1, 5)
    ).close(at=_at(TODAY - timedelta(days=1), 9))
    not_mine = _agreed(
        plan(theirs, OTHER, next_evaluation=TODAY - timedelta(days=1)), [], date(2026, 1, 5)
    )
    _save(
        store,
        [
            soon,
            late,
            edge,
            far,
            drafted,
            ended,
            theirs,
            due_soon,
            overdue,
            on_the_edge,
            not_yet,
            draft,
            closed,
            not_mine,
        ],
    )

    view = today_items(store, TODAY, caseworker=ME, zone=AMSTERDAM)

    assert [
        (i.kind, i.record_id, i.client_id, i.since, i.days_overdue, i.due_soon)
        for i in view.overdue
    ] == [
        ("plan_evaluation", overdue.id, late.id, TODAY - timedelta(days=4), 4, False),
        ("plan_evaluation", due_soon.id, soon.id, TODAY + timedelta(days=8), 0, True),
        ("plan_evaluation", on_the_edge.id, edge.id, TODAY + timedelta(days=14), 0, True),
    ]
    first = view.overdue[0]
    assert (first.title, first.client_name, first.village) == (
        "Evaluatie plan van aanpak",
        "Anna Visser",
        "Winsum",
    )
    assert first.detail == "Plan en acties met de cliënt doorlopen"
    english = today_items(store, TODAY, caseworker=ME, language="en", zone=AMSTERDAM)
    assert [i.title for i in english.overdue] == ["Client plan evaluation"] * 3
    # On its day it is still due soon, the day after it is a day overdue.
    assert [
        (i.record_id, i.days_overdue, i.due_soon)
        for i in today_items(
            store, TODAY + timedelta(days=8), caseworker=ME, zone=AMSTERDAM
        ).overdue
        if i.record_id == due_soon.id
    ] == [(due_soon.id, 0, True)]
    assert [
        (i.record_id, i.days_overdue, i.due_soon)
        for i in today_items(
            store, TODAY + timedelta(days=9), caseworker=ME, zone=AMSTERDAM
        ).overdue
        if i.record_id == due_soon.id
    ] == [(due_soon.id, 1, False)]
    # Without a caseworker filter the other caseworker's plan shows too; the draft never.
    everyone = today_items(store, TODAY, zone=AMSTERDAM).overdue
    assert {i.record_id for i in everyone} == {overdue.id, due_soon.id, on_the_edge.id, not_mine.id}


def test_deleted_records_are_left_out(store: Store) -> None:
    anna = _client("Jansen", "Bedum", "9781 AB")
    today_visit = _visit(anna, _at(TODAY, 10))
    old_visit = _visit(anna, _at(TODAY - timedelta(days=4), 10))
    _save(store, [anna, today_visit, old_visit])
    store.delete(Visit, today_visit.id)
    view = today_items(store, TODAY, caseworker=ME, zone=AMSTERDAM)
    assert view.villages == () and [i.record_id for i in view.overdue] == [old_visit.id]
    store.delete(Visit, old_visit.id)
    assert today_items(store, TODAY, caseworker=ME, zone=AMSTERDAM).overdue == ()


def test_route_key_uses_the_reference_postcode_of_the_village() -> None:
    assert route_key("bedum", "1234 AB") == ("9781", "bedum")
    assert route_key("Nergenshuizen", "9999 ZZ") == ("9999", "nergenshuizen")
    assert route_key("Sauwerd", "") < route_key("Bedum", "") < route_key("Roodeschool", "")
    # The day used in these tests is a moment in Groningen, whatever the machine's zone.
    assert datetime(2026, 11, 22, 23, 30, tzinfo=UTC).astimezone(AMSTERDAM).date() == TODAY


# --------------------------------------------------------------------------- statutory terms
# The imports these tests add are inside them: the head of this module is edited in parallel
# work.


def _dated_intake(client: Client, caseworker: str = ME, **dates: date) -> Intake:
    """A draft intake with these scheme dates ("wmo_melding_date": ...)."""
    return Intake(
        client_id=client.id,
        caseworker=caseworker,
        parts={name: day.isoformat() for name, day in dates.items()},
    )


def test_statutory_terms_overdue_or_due_soon_are_listed(store: Store) -> None:
    import dataclasses

    weekend = _client("Jansen", "Bedum", "9781 AB")
    late = _client("Visser", "Winsum", "9951 AA")
    calm = _client("Smit", "Leens", "9965 AA")
    done = _client("Bos", "Ulrum", "9971 AA")
    # Six weeks from Saturday 10 October end on Saturday 21 November: the Atw moves the end to
    # Monday the 23rd, today, so the term is due today, not two days overdue.
    saturday = date(2026, 10, 10)
    assert saturday.weekday() == 5 and TODAY.weekday() == 0
    wmo = _dated_intake(weekend, wmo_melding_date=saturday)
    # Eight weeks from Friday 18 September end on Friday 13 November: ten days overdue.
    pw = _dated_intake(late, pw_aanvraag_date=date(2026, 9, 18))
    # A Wmo aanvraag of Saturday 21 November: due Monday 7 December, fourteen days left; the
    # assessment's clock stopped when the report was given.
    running = _dated_intake(
        calm,
        wmo_aanvraag_date=date(2026, 11, 21),
        wmo_melding_date=date(2026, 9, 1),
        wmo_report_given_date=date(2026, 10, 1),
    )
    approved = dataclasses.replace(
        _dated_intake(done, pw_aanvraag_date=date(2026, 8, 3)),
        status=IntakeStatus.APPROVED,
        round=1,
        reviewer="t.mulder",
        reviewed_at=_at(TODAY - timedelta(days=30), 11),
    )
    not_mine = _dated_intake(late, OTHER, pw_aanvraag_date=date(2026, 9, 1))
    removed = _dated_intake(calm, pw_aanvraag_date=date(2026, 9, 2))
    # A returned intake of today sorts before a term due today.
    returned = dataclasses.replace(
        _dated_intake(done),
        status=IntakeStatus.RETURNED,
        round=1,
        reviewer="t.mulder",
        reviewed_at=_at(TODAY, 8),
    )
    _save(
        store,
        [weekend, late, calm, done, wmo, pw, running, approved, not_mine, removed, returned],
    )
    store.delete(Intake, removed.id)

    view = today_items(store, TODAY, caseworker=ME, zone=AMSTERDAM)

    assert [(i.kind, i.record_id, i.since, i.days_overdue, i.due_soon) for i in view.overdue] == [
        ("statutory_term", pw.id, date(2026, 11, 13), 10, False),
        ("intake_returned", returned.id, TODAY, 0, False),
        ("statutory_term", wmo.id, TODAY, 0, True),
    ]
    overdue, _returned, due_today = view.overdue
    assert (overdue.client_id, overdue.client_name, overdue.village) == (
        late.id,
        "Anna Visser",
        "Winsum",
    )
    assert overdue.title == "Wettelijke termijn: Beslissing Participatiewet"
    assert overdue.detail == "Beslissing Participatiewet: 10 dagen te laat, uiterlijk 13-11-2026"
    assert due_today.title == "Wettelijke termijn: Wmo-onderzoek"
    assert due_today.detail == "Wmo-onderzoek: vandaag, uiterlijk 23-11-2026"
    english = today_items(store, TODAY, caseworker=ME, language="en", zone=AMSTERDAM)
    assert [i.title for i in english.overdue if i.kind == "statutory_term"] == [
        "Statutory term: Participation Act decision",
        "Statutory term: Wmo assessment",
    ]
    assert english.overdue[-1].detail == "Wmo assessment: due today, due 23-11-2026"

    # Nine days on the Wmo aanvraag has five days left: due soon. The Wmo melding's term is
    # then six days overdue, and everything keeps its day.
    later = today_items(store, TODAY + timedelta(days=9), caseworker=ME, zone=AMSTERDAM)
    terms = [
        (i.record_id, i.days_overdue, i.due_soon)
        for i in later.overdue
        if i.kind != "intake_returned"
    ]
    assert terms == [(pw.id, 19, False), (wmo.id, 9, False), (running.id, 0, True)]
    assert later.overdue[-1].detail == "Wmo-beschikking: nog 5 dagen, uiterlijk 07-12-2026"


def test_clocks_of_an_intake_stop_on_the_local_day_of_approval() -> None:
    # Imported here: other work on this module's head goes on at the same time.
    import dataclasses

    from app.domain.clocks import ClockKind, ClockState, most_urgent
    from app.services.clocks import clocks_of, clocks_of_fields

    client = _client("Jansen", "Bedum", "9781 AB")
    # Eight weeks from Thursday 17 September end on Thursday 12 November.
    submitted = _dated_intake(client, pw_aanvraag_date=date(2026, 9, 17))
    (clock,) = clocks_of(submitted)
    assert (clock.kind, clock.started, clock.due, clock.stopped) == (
        ClockKind.PW_BESLISSING,
        date(2026, 9, 17),
        date(2026, 11, 12),
        None,
    )
    assert clock.state(TODAY) is ClockState.OVERDUE
    # Approved at 23:30 UTC on the 12th: the 13th in Groningen, one day late; in UTC on time.
    approved = dataclasses.replace(
        submitted,
        status=IntakeStatus.APPROVED,
        round=1,
        reviewer="t.mulder",
        reviewed_at=datetime(2026, 11, 12, 23, 30, tzinfo=UTC),
    )
    (stopped,) = clocks_of(approved)
    assert stopped.stopped == date(2026, 11, 13) and stopped.state(TODAY) is ClockState.LATE
    assert clocks_of(approved, UTC)[0].state(TODAY) is ClockState.MET
    assert most_urgent(clocks_of(approved), TODAY) is None
    # Returned is reviewed, not decided: the clock runs on.
    returned = dataclasses.replace(approved, status=IntakeStatus.RETURNED)
    assert clocks_of(returned)[0].running
    # The field dict (or a row of the intakes table) gives the same clocks.
    for intake in (submitted, approved, returned):
        assert clocks_of_fields(intake.to_fields()) == clocks_of(intake)
    assert clocks_of(_dated_intake(client)) == ()
    wmo = _dated_intake(
        client,
        wmo_melding_date=date(2026, 10, 10),
        wmo_report_given_date=date(2026, 11, 2),
        wmo_aanvraag_date=date(2026, 11, 2),
    )
    assert [(c.kind, c.stopped) for c in clocks_of(wmo)] == [
        (ClockKind.WMO_ONDERZOEK, date(2026, 11, 2)),
        (ClockKind.WMO_BESCHIKKING, None),
    ]
