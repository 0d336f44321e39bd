"""The today screen's data: today's visits in route order by village, then what is overdue.

Every name, address and BSN here is made up; the BSNs are generated to pass the 11-check.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import keyring
import keyring.backends.null
import pytest

from app.domain.client import Client
from app.domain.intake import Intake, IntakeSection
from app.domain.plan import ClientPlan, PlanAction
from app.domain.records import Record
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.domain.visit import Visit, VisitPurpose
from app.services.today import route_key, today_items
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams

ME = "k.dijkstra"
OTHER = "m.bakker"
TODAY = date(2026, 11, 23)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    _profile, opened = Profile.create(
        "today",
        passphrase="een lange wachtzin voor de test",
        username=ME,
        role="caseworker",
        params=KdfParams(1024, 1, 1),
        home=tmp_path,
    )
    try:
        yield opened
    finally:
        opened.close()


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
        actions=(
            PlanAction("Aanmelden bij het werkplein", ME, TODAY - timedelta(days=5)),
            PlanAction(
                "Cv bijwerken",
                "cliënt",
                TODAY - timedelta(days=40),
                status=ActionStatus.IN_PROGRESS,
            ),
            PlanAction("Klaar", ME, TODAY - timedelta(days=9), status=ActionStatus.DONE),
            PlanAction("Vervallen", ME, TODAY - timedelta(days=9), status=ActionStatus.CANCELLED),
            PlanAction("Later", ME, TODAY + timedelta(days=3)),
            PlanAction("Vandaag", ME, TODAY),
        ),
    )
    draft = ClientPlan(
        client_id=piet.id,
        caseworker=ME,
        actions=(PlanAction("Nog niet actief", ME, TODAY - timedelta(days=30)),),
    )
    returned = Intake(
        client_id=piet.id,
        caseworker=ME,
        status=IntakeStatus.RETURNED,
        reviewer="t.mulder",
        reviewed_at=_at(TODAY - timedelta(days=10), 15),
        review_comments={IntakeSection.GENERAL: "Graag de schulden toelichten."},
    )
    submitted = Intake(client_id=anna.id, caseworker=ME, status=IntakeStatus.SUBMITTED)
    others_returned = Intake(
        client_id=other_clients.id,
        caseworker=OTHER,
        status=IntakeStatus.RETURNED,
        reviewer="t.mulder",
        reviewed_at=_at(TODAY - timedelta(days=2), 15),
        review_comments={IntakeSection.GENERAL: "Niet van mij."},
    )
    _save(
        store,
        [anna, piet, other_clients, *visits, active, draft, returned, submitted, others_returned],
    )

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
