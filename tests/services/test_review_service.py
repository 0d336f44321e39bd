"""The team lead's Beoordelen: the queue of submitted intakes and the decisions on them.

The store is a team lead's: submitted intakes arrive from the central office as synced records
(`apply_remote`), the team lead's comments and decisions are local writes that wait in the
journal. Every name here is made up; the BSNs are generated to pass the 11-check.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.domain.client import Client
from app.domain.clocks import ClockKind, ClockState
from app.domain.errors import DomainError
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection
from app.domain.records import Record
from app.domain.roles import Role
from app.domain.states import IntakeStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.services.intake import add_comment, resolve_thread
from app.services.review import approve_intake, return_intake, review_queue
from app.storage.store import Store
from tests.services.profiles import opened_profile

LEAD = "t.mulder"
CASEWORKER = "k.dijkstra"
TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with opened_profile(tmp_path, "review", username=LEAD, role="team_lead") as opened:
        yield opened


_serial = iter(range(20_000_000, 99_999_999, 7919))


def _bsn() -> Bsn:
    while True:
        head = str(next(_serial))
        total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
        if total % 11 < 10:
            return Bsn(head + str(total % 11))


def _client(surname: str, village: str, postcode: str, prefix: str = "") -> Client:
    return Client(
        bsn=_bsn(),
        name=PersonName(surname=surname, first_names="Anna", initials="A.", prefix=prefix),
        date_of_birth=date(1980, 5, 17),
        address=Address(
            street="Hoofdstraat",
            house_number=3,
            postcode=Postcode(postcode),
            village=village,
            municipality="Het Hogeland",
        ),
        caseworker=CASEWORKER,
    )


def _submitted(
    client: Client, *, days_ago: int, parts: dict[str, Any] | None = None, round_: int = 1
) -> Intake:
    """An intake the caseworker submitted `days_ago` days before TODAY (at noon, UTC)."""
    return Intake(
        client_id=client.id,
        caseworker=CASEWORKER,
        status=IntakeStatus.SUBMITTED,
        round=round_,
        submitted_at=datetime.combine(TODAY - timedelta(days=days_ago), time(12), UTC),
        parts=parts or {},
    )


def _synced(store: Store, records: list[Record]) -> None:
    """Records as a sync brings them from the central office: no journal entries."""
    with store.transaction() as tx:
        for record in records:
            tx.apply_remote(record, version=1)


def _comment(store: Store, intake: Intake, section: IntakeSection = IntakeSection.SCORES) -> str:
    return add_comment(
        store,
        intake_id=intake.id,
        section=section,
        text="Licht de score voor financiën toe.",
        author=LEAD,
        role=Role.TEAM_LEAD,
    ).id


def test_queue_oldest_first_with_waiting_days_threads_and_clock(store: Store) -> None:
    vries = _client("Vries", "Bedum", "9781 AB", prefix="de")
    bakker = _client("Bakker", "Winsum", "9951 AA")
    smit = _client("Smit", "Leens", "9965 AA")
    draft_only = _client("Visser", "Ulrum", "9971 AA")
    # Wmo melding on 5 October: six weeks end on Monday 16 November, a week before TODAY.
    late = _submitted(vries, days_ago=12, parts={"wmo_melding_date": "2026-10-05"})
    recent = _submitted(bakker, days_ago=1, round_=2)
    middle = _submitted(smit, days_ago=5, parts={"pw_aanvraag_date": "2026-11-02"})
    draft = Intake(client_id=draft_only.id, caseworker=CASEWORKER)
    _synced(store, [vries, bakker, smit, draft_only, late, recent, middle, draft])
    _comment(store, recent)
    second = _comment(store, recent, IntakeSection.WMO)
    resolve_thread(store, thread_id=second, by=LEAD)

    queue = review_queue(store, today=TODAY)

    assert [item.intake_id for item in queue] == [late.id, middle.id, recent.id]
    first = queue[0]
    assert (first.client_id, first.client_name, first.sort_name) == (
        vries.id,
        "Anna de Vries",
        "Vries, A. de",
    )
    assert (first.village, first.caseworker, first.round) == ("Bedum", CASEWORKER, 1)
    assert first.submitted_at == late.submitted_at
    assert [item.waiting_days for item in queue] == [12, 5, 1]
    assert [item.open_threads for item in queue] == [0, 0, 1]
    assert queue[2].round == 2
    clock = first.clock
    assert clock is not None
    assert clock.kind is ClockKind.WMO_ONDERZOEK
    assert clock.due == date(2026, 11, 16)
    assert clock.state(TODAY) is ClockState.OVERDUE
    pw_clock = queue[1].clock
    assert pw_clock is not None and pw_clock.kind is ClockKind.PW_BESLISSING
    assert pw_clock.state(TODAY) is ClockState.RUNNING
    assert queue[2].clock is None


def test_approve_is_refused_while_a_thread_is_open(store: Store) -> None:
    client = _client("Jansen", "Bedum", "9781 AB")
    intake = _submitted(client, days_ago=3)
    _synced(store, [client, intake])
    _comment(store, intake)

    with pytest.raises(DomainError) as refused:
        approve_intake(store, intake_id=intake.id, reviewer=LEAD)

    assert refused.value.code == "open_review_threads"
    found = store.get(Intake, intake.id)
    assert found is not None and found.status is IntakeStatus.SUBMITTED
    assert [e.entity for e in store.journal_entries()] == ["review_comment"]


def test_return_is_refused_without_an_open_thread(store: Store) -> None:
    client = _client("Jansen", "Bedum", "9781 AB")
    intake = _submitted(client, days_ago=3)
    _synced(store, [client, intake])
    resolved = _comment(store, intake)
    resolve_thread(store, thread_id=resolved, by=LEAD)

    with pytest.raises(DomainError) as refused:
        return_intake(store, intake_id=intake.id, reviewer=LEAD)

    assert refused.value.code == "review_comment_required"
    found = store.get(Intake, intake.id)
    assert found is not None and found.status is IntakeStatus.SUBMITTED


def test_approve_after_the_thread_is_resolved(store: Store) -> None:
    client = _client("Jansen", "Bedum", "9781 AB")
    intake = _submitted(client, days_ago=3)
    _synced(store, [client, intake])
    thread = _comment(store, intake)
    resolve_thread(store, thread_id=thread, by=LEAD)
    at = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)

    approved = approve_intake(store, intake_id=intake.id, reviewer=LEAD, at=at)

    assert approved.status is IntakeStatus.APPROVED
    assert (approved.reviewer, approved.reviewed_at) == (LEAD, at)
    assert store.get(Intake, intake.id) == approved
    # Decided: it leaves the queue, and cannot be decided again.
    assert review_queue(store, today=TODAY) == ()
    with pytest.raises(DomainError) as again:
        return_intake(store, intake_id=intake.id, reviewer=LEAD)
    assert again.value.code == "intake_not_waiting"


def test_the_journal_holds_the_comment_before_the_return(store: Store) -> None:
    client = _client("Jansen", "Bedum", "9781 AB")
    intake = _submitted(client, days_ago=3)
    _synced(store, [client, intake])
    first = _comment(store, intake, IntakeSection.SCORES)
    second = _comment(store, intake, IntakeSection.BARRIERS)

    returned = return_intake(store, intake_id=intake.id, reviewer=LEAD)

    assert returned.status is IntakeStatus.RETURNED
    entries = store.journal_entries()
    assert [(e.entity, e.op, e.record_id) for e in entries] == [
        ("review_comment", "create", first),
        ("review_comment", "create", second),
        ("intake", "command", intake.id),
    ]
    assert entries[-1].new_values == {"command": "return"}
    assert entries[0].new_values["section"] == "scores"
    assert entries[0].new_values["author"] == LEAD
    assert entries[0].new_values["author_role"] == "team_lead"
    assert entries[0].new_values["thread_id"] == first
    assert all(e.client_id == client.id for e in entries)


def test_approving_journals_the_command(store: Store) -> None:
    client = _client("Jansen", "Bedum", "9781 AB")
    intake = _submitted(client, days_ago=3)
    _synced(store, [client, intake])

    approve_intake(store, intake_id=intake.id, reviewer=LEAD)

    [entry] = store.journal_entries()
    assert (entry.entity, entry.op, entry.record_id) == ("intake", "command", intake.id)
    assert entry.new_values == {"command": "approve"}


def test_the_caseworker_cannot_review_their_own_intake(store: Store) -> None:
    client = _client("Jansen", "Bedum", "9781 AB")
    intake = _submitted(client, days_ago=3)
    _synced(store, [client, intake])

    with pytest.raises(DomainError) as refused:
        approve_intake(store, intake_id=intake.id, reviewer=CASEWORKER)

    assert refused.value.code == "own_intake_review"
    assert store.journal_entries() == []
