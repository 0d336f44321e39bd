"""The caseload query: every filter narrows, every sort comes from SQL and matches a Python
reference built from the domain records, search goes through the FTS5 index.

All people here are made up: a generated demo caseload plus a few hand-made clients.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
import pytest
from sqlalchemy import text

from app.demo.caseload import DEMO_TODAY, generate_caseload
from app.domain.client import Client, Enrollment
from app.domain.intake import Intake, IntakeSection
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
)
from app.domain.records import Record
from app.domain.reference import Scheme, self_sufficiency_domains
from app.domain.review import ReviewComment
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import Address, Bsn, PersonName, Postcode, fold
from app.domain.visit import Visit, VisitPurpose
from app.services.caseload import (
    ZONE,
    CaseloadQuery,
    CaseloadRow,
    NextAction,
    NextActionKind,
    SortColumn,
    caseload_sql,
    filter_options,
    load_caseload,
    local_day_sql,
    mask_bsn,
)
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams
from tests import store_access

TODAY = DEMO_TODAY
FAST = KdfParams(1024, 1, 1)
ME = "k.dijkstra"
NOON = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _at(day: date) -> datetime:
    """Noon UTC on `day`: the same local day in every time zone a test machine might use."""
    return NOON.replace(year=day.year, month=day.month, day=day.day)


def _client(
    bsn: str,
    surname: str,
    first_names: str,
    *,
    prefix: str = "",
    village: str = "Zoutkamp",
    municipality: str = "De Marne",
    step: int | None = 3,
) -> Client:
    return Client(
        bsn=Bsn(bsn),
        name=PersonName(surname=surname, first_names=first_names, prefix=prefix),
        date_of_birth=date(1980, 4, 2),
        address=Address(
            street="Hoofdstraat",
            house_number=4,
            postcode=Postcode("9974 AB"),
            village=village,
            municipality=municipality,
        ),
        caseworker=ME,
        participation_step=step,
    )


@dataclasses.dataclass
class Caseload:
    store: Store
    records: list[Record]
    jan: Client
    zoe: Client
    deleted: Client


def _hand_made() -> tuple[list[Record], Client, Client, Client]:
    """Clients whose rows the tests know exactly (BSNs are made up but pass the 11-check)."""
    jan = _client("111222333", "Vries", "Jan Willem", prefix="de", step=2)
    zoe = _client(
        "123456782", "Berg", "Zoë", prefix="van der", village="Ulrum", municipality="De Marne"
    )
    gone = _client("100000009", "Verdwenen", "Piet", village="Leens")
    signature = Signature(
        ME,
        SignatureMethod.DIGITAL,
        _at(TODAY - timedelta(days=40)),
        strokes=(((10.0, 10.0, 0.5, 0), (20.0, 12.0, 0.5, 8)),),
    )
    draft = ClientPlan(client_id=jan.id, caseworker=ME, goals=("Werk vinden",))
    actions = (
        PlanAction(
            jan.id,
            draft.id,
            "Cv bijwerken",
            owner=ActionOwner.CASEWORKER,
            due_date=TODAY + timedelta(days=3),
        ),
        PlanAction(
            jan.id,
            draft.id,
            "Al gedaan",
            owner=ActionOwner.CASEWORKER,
            due_date=TODAY - timedelta(days=30),
            rank=1,
        ),
    )
    content = content_hash(draft, actions)
    plan = draft.sign(SignerRole.CLIENT, signature, content=content).sign(
        SignerRole.CASEWORKER, signature, content=content
    )
    plan = plan.activate(at=_at(TODAY - timedelta(days=40)))
    # Progress is not part of what was signed: marking an action done needs no new signatures.
    actions = (actions[0], actions[1].moved_to(ActionStatus.DONE))
    intake = Intake(client_id=zoe.id, caseworker=ME)
    for domain in self_sufficiency_domains():
        intake = intake.with_score(domain.key, 3)
    intake = intake.with_participation(current=2, target=3).submit(
        at=_at(TODAY - timedelta(days=9))
    )
    # Returned with one open thread: the comment is a record of its own.
    thread = ReviewComment(
        client_id=zoe.id,
        intake_id=intake.id,
        section=IntakeSection.GENERAL,
        round=intake.round,
        author="t.mulder",
        author_role="team_lead",
        text="Graag aanvullen.",
        written_at=_at(TODAY - timedelta(days=8)),
    )
    intake = intake.return_for_changes(
        reviewer="t.mulder", at=_at(TODAY - timedelta(days=8)), open_threads=1
    )
    records: list[Record] = [
        jan,
        zoe,
        gone,
        Enrollment(
            client_id=jan.id,
            scheme=Scheme.WMO,
            start_date=date(2025, 1, 1),
            caseworker=ME,
            consent_given=False,
        ),
        Enrollment(
            client_id=jan.id,
            scheme=Scheme.PARTICIPATIEWET,
            start_date=date(2025, 1, 1),
            caseworker=ME,
            consent_given=False,
        ),
        # Ended: not a current scheme.
        Enrollment(
            client_id=jan.id,
            scheme=Scheme.JEUGD,
            start_date=date(2024, 1, 1),
            end_date=TODAY - timedelta(days=1),
            caseworker=ME,
            consent_given=False,
        ),
        Enrollment(
            client_id=zoe.id,
            scheme=Scheme.INBURGERING,
            start_date=date(2025, 6, 1),
            caseworker=ME,
            consent_given=False,
        ),
        Visit(
            client_id=jan.id,
            planned_at=_at(TODAY - timedelta(days=20)),
            purpose=VisitPurpose.VOORTGANG,
            caseworker=ME,
        ).record(at=_at(TODAY - timedelta(days=20)), notes="Gesprek", outcome="Afspraken"),
        Visit(
            client_id=jan.id,
            planned_at=_at(TODAY + timedelta(days=10)),
            purpose=VisitPurpose.HERONDERZOEK,
            caseworker=ME,
        ),
        # Planned two days ago (00:30 in Groningen, still the day before in UTC) and never
        # recorded: overdue, and the next action.
        Visit(
            client_id=zoe.id,
            planned_at=datetime.combine(TODAY - timedelta(days=3), time(23, 30), tzinfo=UTC),
            purpose=VisitPurpose.VOORTGANG,
            caseworker=ME,
        ),
        plan,
        *actions,
        intake,
        thread,
    ]
    return records, jan, zoe, gone


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    """One encrypted profile for the whole module: the tests only read from it."""
    home: Path = tmp_path_factory.mktemp("home")
    null_backend = cast(Any, keyring.backends.null.Keyring)()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyring, "get_keyring", lambda: null_backend)
        _profile, store = Profile.create(
            "caseload", passphrase="oefenzin voor de caseload", username=ME,
            role="caseworker", params=FAST, home=home,
        )  # fmt: skip
    generated = generate_caseload(
        clients=80, seed=11, caseworkers=(ME,), team_lead="t.mulder", today=TODAY
    )
    records = list(generated.all_records())
    with store.transaction() as tx:
        for record in records:
            tx.apply_remote(record, version=1)
    made, jan, zoe, gone = _hand_made()
    for record in made:
        store.create(record)
    store.delete(Client, gone.id)
    records = [r for r in records + made if r.client_id != gone.id]
    try:
        yield Caseload(store=store, records=records, jan=jan, zoe=zoe, deleted=gone)
    finally:
        store.close()


# ----------------------------------------------------------------------- the Python reference


def _of(records: list[Record], kind: type[Any]) -> list[Any]:
    return [r for r in records if isinstance(r, kind)]


def _reference(records: list[Record], today: date) -> dict[str, CaseloadRow]:
    """Each client's row computed from the domain records, without SQL."""
    from app.domain.clocks import most_urgent
    from app.services.clocks import clocks_of

    rows: dict[str, CaseloadRow] = {}
    for client in _of(records, Client):
        mine = [r for r in records if r.client_id == client.id]
        visits = _of(mine, Visit)
        done = [v.planned_at for v in visits if v.status is VisitStatus.DONE]
        planned = sorted(
            (v for v in visits if v.status is VisitStatus.PLANNED), key=lambda v: v.planned_at
        )
        active = {p.id for p in _of(mine, ClientPlan) if p.status is PlanStatus.ACTIVE}
        actions = sorted(
            (a.due_date, a.description)
            for a in _of(mine, PlanAction)
            if a.plan_id in active
            and a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            and a.due_date
        )
        visit_day = planned[0].planned_at.astimezone(ZONE).date() if planned else None
        next_action = None
        if visit_day is not None and (not actions or visit_day <= actions[0][0]):
            next_action = NextAction(NextActionKind.VISIT, visit_day, planned[0].purpose.value)
        elif actions:
            next_action = NextAction(NextActionKind.PLAN_ACTION, *actions[0])
        name = client.name
        given = name.given_name or name.initials
        rows[client.id] = CaseloadRow(
            client_id=client.id,
            display_name=name.display(),
            sort_name=f"{name.surname}, {' '.join(p for p in (given, name.prefix) if p)}",
            masked_bsn="******" + client.bsn.value[-3:],
            village=client.address.village,
            municipality=client.address.municipality,
            schemes=tuple(
                sorted({e.scheme.value for e in _of(mine, Enrollment) if e.active_on(today)})
            ),
            ladder_step=client.participation_step,
            last_visit=max(done).astimezone(ZONE).date() if done else None,
            next_action=next_action,
            overdue=next_action is not None and next_action.on < today,
            visit_overdue=visit_day is not None and visit_day < today,
            intake_returned=any(i.status is IntakeStatus.RETURNED for i in _of(mine, Intake)),
            term=(term := most_urgent((c for i in _of(mine, Intake) for c in clocks_of(i)), today)),
            term_left=term.days_left(today) if term is not None else None,
        )
    return rows


def _name_keys(records: list[Record]) -> dict[str, tuple[str, str]]:
    return {c.id: ("\x1f".join(c.name.sort_key()), c.id) for c in _of(records, Client)}


_VALUE: dict[SortColumn, Callable[[CaseloadRow], Any]] = {
    SortColumn.BSN: lambda r: r.masked_bsn[-3:],
    SortColumn.VILLAGE: lambda r: r.village,
    SortColumn.MUNICIPALITY: lambda r: r.municipality,
    SortColumn.SCHEMES: lambda r: ",".join(r.schemes) or None,
    SortColumn.LADDER_STEP: lambda r: r.ladder_step,
    SortColumn.LAST_VISIT: lambda r: r.last_visit,
    SortColumn.NEXT_ACTION: lambda r: r.next_action.on if r.next_action else None,
}


def _reference_order(
    rows: list[CaseloadRow], keys: dict[str, tuple[str, str]], sort: SortColumn, descending: bool
) -> list[str]:
    """Name order (Dutch: surname, initials, prefix, diacritics folded); other columns with the
    empty values last either way and ties in name order."""
    by_name = sorted(rows, key=lambda r: keys[r.client_id])
    if sort is SortColumn.NAME:
        ordered = by_name[::-1] if descending else by_name
    else:
        value = _VALUE[sort]
        present = sorted(
            (r for r in by_name if value(r) is not None), key=value, reverse=descending
        )
        ordered = present + [r for r in by_name if value(r) is None]
    return [r.client_id for r in ordered]


def _load(caseload: Caseload, **query: Any) -> list[CaseloadRow]:
    return load_caseload(caseload.store, CaseloadQuery(**query), today=TODAY)


# ---------------------------------------------------------------------------------- the rows


def test_every_row_matches_the_reference(caseload: Caseload) -> None:
    expected = _reference(caseload.records, TODAY)
    rows = _load(caseload)
    assert len(rows) == len(expected) == 82
    assert {r.client_id: r for r in rows} == expected
    # The demo data has every kind of value the columns show.
    assert any(r.next_action and r.next_action.kind is NextActionKind.PLAN_ACTION for r in rows)
    assert any(r.next_action and r.next_action.kind is NextActionKind.VISIT for r in rows)
    assert any(r.next_action is None for r in rows)
    assert any(r.visit_overdue for r in rows) and any(r.intake_returned for r in rows)


def test_a_known_client_row(caseload: Caseload) -> None:
    jan = next(r for r in _load(caseload) if r.client_id == caseload.jan.id)
    assert jan.display_name == "Jan de Vries"
    assert jan.sort_name == "Vries, Jan de"
    assert jan.masked_bsn == "******333" == mask_bsn("111222333")
    assert jan.schemes == ("participatiewet", "wmo")  # the ended Jeugd enrollment is not shown
    assert jan.last_visit == TODAY - timedelta(days=20)
    # The open action (in 3 days) comes before the planned visit (in 10); the done one is ignored.
    assert jan.next_action == NextAction(
        NextActionKind.PLAN_ACTION, TODAY + timedelta(days=3), "Cv bijwerken"
    )
    assert jan.next_action.text("nl") == "Actie: Cv bijwerken"
    assert not jan.overdue and not jan.visit_overdue and not jan.intake_returned


def test_an_overdue_visit_is_the_next_action(caseload: Caseload) -> None:
    zoe = next(r for r in _load(caseload) if r.client_id == caseload.zoe.id)
    assert zoe.next_action is not None
    assert zoe.next_action.kind is NextActionKind.VISIT
    assert zoe.next_action.on == TODAY - timedelta(days=2)
    assert zoe.next_action.text("nl") == "Huisbezoek (voortgang)"
    assert zoe.next_action.text("en") == "Home visit (progress)"
    assert zoe.overdue and zoe.visit_overdue and zoe.intake_returned


def test_no_full_bsn_leaves_the_service(caseload: Caseload) -> None:
    rows = _load(caseload)
    bsns = {c.bsn.value for c in _of(caseload.records, Client)}
    for row in rows:
        assert row.masked_bsn.startswith("******") and len(row.masked_bsn) == 9
        assert not bsns & {str(value) for value in row}


def test_a_deleted_client_is_not_listed(caseload: Caseload) -> None:
    assert caseload.deleted.id not in {r.client_id for r in _load(caseload)}
    assert _load(caseload, text="verdwenen") == []


# --------------------------------------------------------------------------------- sorting


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(SortColumn), ids=[c.value for c in SortColumn])
def test_sql_order_matches_the_python_reference(
    caseload: Caseload, sort: SortColumn, descending: bool
) -> None:
    rows = _load(caseload, sort=sort, descending=descending)
    expected = _reference_order(rows, _name_keys(caseload.records), sort, descending)
    assert [r.client_id for r in rows] == expected
    assert "ORDER BY" in caseload_sql(CaseloadQuery(sort=sort), today=TODAY)[0]


def test_names_sort_on_surname_not_prefix(caseload: Caseload) -> None:
    names = [r.sort_name for r in _load(caseload)]
    # "Berg, Zoë van der" sorts under B and "Vries, Jan de" under V, whatever the prefix.
    assert names.index("Berg, Zoë van der") < names.index("Vries, Jan de")
    surnames = [fold(n.split(",")[0]) for n in names]
    assert surnames == sorted(surnames)


def test_sorting_and_filters_combine(caseload: Caseload) -> None:
    rows = _load(caseload, municipality="De Marne", sort=SortColumn.NEXT_ACTION, descending=True)
    assert rows and {r.municipality for r in rows} == {"De Marne"}
    expected = _reference_order(rows, _name_keys(caseload.records), SortColumn.NEXT_ACTION, True)
    assert [r.client_id for r in rows] == expected


# --------------------------------------------------------------------------------- filters


def _expected_ids(caseload: Caseload, keep: Callable[[CaseloadRow], bool]) -> set[str]:
    return {r.client_id for r in _reference(caseload.records, TODAY).values() if keep(r)}


def _ids(rows: list[CaseloadRow]) -> set[str]:
    return {r.client_id for r in rows}


def test_municipality_and_village_filters(caseload: Caseload) -> None:
    everyone = _ids(_load(caseload))
    marne = _ids(_load(caseload, municipality="De Marne"))
    assert marne == _expected_ids(caseload, lambda r: r.municipality == "De Marne")
    assert 0 < len(marne) < len(everyone)
    ulrum = _ids(_load(caseload, village="Ulrum"))
    assert ulrum == _expected_ids(caseload, lambda r: r.village == "Ulrum")
    assert caseload.zoe.id in ulrum and ulrum <= marne
    assert _load(caseload, municipality="Bedum", village="Ulrum") == []


def test_scheme_filter_uses_current_enrollments(caseload: Caseload) -> None:
    wmo = _ids(_load(caseload, scheme="wmo"))
    assert wmo == _expected_ids(caseload, lambda r: "wmo" in r.schemes)
    assert caseload.jan.id in wmo
    # Jan's Jeugd enrollment ended yesterday.
    assert caseload.jan.id not in _ids(_load(caseload, scheme="jeugd"))


@pytest.mark.parametrize("step", [1, 2, 3])
def test_ladder_step_filter(caseload: Caseload, step: int) -> None:
    found = _ids(_load(caseload, ladder_step=step))
    assert found == _expected_ids(caseload, lambda r: r.ladder_step == step)
    assert caseload.jan.id in _ids(_load(caseload, ladder_step=2))


def test_visit_overdue_filter(caseload: Caseload) -> None:
    rows = _load(caseload, visit_overdue=True)
    assert _ids(rows) == _expected_ids(caseload, lambda r: r.visit_overdue)
    assert caseload.zoe.id in _ids(rows) and all(r.visit_overdue for r in rows)
    # A day earlier Zoë's visit was still today's, not overdue.
    earlier = load_caseload(
        caseload.store, CaseloadQuery(visit_overdue=True), today=TODAY - timedelta(days=2)
    )
    assert caseload.zoe.id not in _ids(earlier)


def test_intake_returned_filter(caseload: Caseload) -> None:
    rows = _load(caseload, intake_returned=True)
    assert _ids(rows) == _expected_ids(caseload, lambda r: r.intake_returned)
    assert caseload.zoe.id in _ids(rows)


def test_filters_combine(caseload: Caseload) -> None:
    rows = _load(caseload, municipality="De Marne", visit_overdue=True, intake_returned=True)
    assert _ids(rows) == _expected_ids(
        caseload,
        lambda r: r.municipality == "De Marne" and r.visit_overdue and r.intake_returned,
    )
    assert caseload.zoe.id in _ids(rows)


def test_filtered_rows_equal_the_full_list_rows(caseload: Caseload) -> None:
    """A narrowed query takes a different path in SQL; its rows must be the same rows."""
    full = {r.client_id: r for r in _load(caseload)}
    for query in (
        {"municipality": "De Marne"},
        {"visit_overdue": True},
        {"text": "a"},
        {"scheme": "participatiewet"},
    ):
        rows = _load(caseload, **query)
        assert rows and all(full[r.client_id] == r for r in rows), query


# ---------------------------------------------------------------------------------- search


def test_search_without_diacritics_finds_zoe(caseload: Caseload) -> None:
    rows = _load(caseload, text="zoe")
    assert caseload.zoe.id in _ids(rows)
    assert len(rows) < len(_load(caseload))
    assert caseload.zoe.id in _ids(_load(caseload, text="Zoë van der"))


def test_search_on_bsn_surname_and_prefix_words(caseload: Caseload) -> None:
    assert _ids(_load(caseload, text="111222333")) == {caseload.jan.id}
    assert caseload.jan.id in _ids(_load(caseload, text="vries jan"))


def test_search_combines_with_filters(caseload: Caseload) -> None:
    assert _ids(_load(caseload, text="zoe", village="Ulrum")) == {caseload.zoe.id}
    assert caseload.zoe.id not in _ids(_load(caseload, text="zoe", village="Zoutkamp"))


def test_search_text_cannot_break_the_query(caseload: Caseload) -> None:
    everyone = _ids(_load(caseload))
    for typed in ('"', "NEAR(a b)", "name:jan", "*", "') OR 1=1 --", "%"):
        assert _ids(_load(caseload, text=typed)) <= everyone
    assert _ids(_load(caseload, text='"vries" OR "berg"')) == set()
    # Nothing searchable typed: the filter does not apply.
    assert len(_load(caseload, text="  -- ")) == len(_load(caseload))


# ------------------------------------------------------------------------------ filter options


def test_filter_options_are_what_the_caseload_holds(caseload: Caseload) -> None:
    options = filter_options(caseload.store, today=TODAY)
    rows = _reference(caseload.records, TODAY).values()
    assert options.municipalities == tuple(sorted({r.municipality for r in rows}))
    assert options.villages == tuple(sorted({r.village for r in rows}))
    assert options.schemes == tuple(sorted({s for r in rows for s in r.schemes}))
    assert options.ladder_steps == tuple(
        sorted({r.ladder_step for r in rows if r.ladder_step is not None})
    )
    # The deleted client's village (Leens) counts only if someone else lives there.
    assert ("Leens" in options.villages) == any(r.village == "Leens" for r in rows)


# ---------------------------------------------------------------------------------- time zones


def _moments() -> list[datetime]:
    """Every 30 minutes around both 2026 transitions and around midnight, plus times spread over
    the years the statement covers exactly."""
    moments = []
    for around in (
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 22, 0, tzinfo=UTC),
    ):
        moments += [around + timedelta(minutes=30 * k) for k in range(-6, 7)]
    moments += [datetime(2017, 1, 3, 23, 59, 59, 999999, tzinfo=UTC) + timedelta(days=97 * k)
                for k in range(40)]  # fmt: skip
    return moments


@pytest.mark.parametrize("zone", [ZONE, UTC], ids=["amsterdam", "utc"])
def test_local_day_in_sql_agrees_with_zoneinfo(caseload: Caseload, zone: tzinfo) -> None:
    expression = local_day_sql(":moment", zone=zone, today=TODAY)
    with store_access.connect(caseload.store) as conn:
        for moment in _moments():
            found = conn.execute(text(f"SELECT {expression}"), {"moment": moment.isoformat()})
            assert found.scalar_one() == moment.astimezone(zone).date().isoformat(), moment


def test_the_zone_decides_the_day(caseload: Caseload) -> None:
    """Zoë's visit at 23:30 UTC is on the next day in Groningen: overdue by one day less."""
    in_utc = load_caseload(caseload.store, CaseloadQuery(text="zoe"), today=TODAY, zone=UTC)
    zoe = next(r for r in in_utc if r.client_id == caseload.zoe.id)
    assert zoe.next_action is not None and zoe.next_action.on == TODAY - timedelta(days=3)
    here = next(r for r in _load(caseload, text="zoe") if r.client_id == caseload.zoe.id)
    assert here.next_action is not None and here.next_action.on == TODAY - timedelta(days=2)


# -------------------------------------------------------------------------- statutory terms
# The imports these tests add are inside them: the head of this module is edited in parallel
# work.

# The Termijn column in the reference order of test_sql_order_matches_the_python_reference: days
# left, so the most urgent first.
_VALUE[SortColumn.TERM] = lambda r: r.term_left


@dataclasses.dataclass
class Terms:
    store: Store
    ids: dict[str, str]  # first name -> client id
    intakes: list[Intake]


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Terms]:
    """Six clients with known statutory terms (TODAY is Monday 23 November 2026)."""
    home: Path = tmp_path_factory.mktemp("terms")
    null_backend = cast(Any, keyring.backends.null.Keyring)()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyring, "get_keyring", lambda: null_backend)
        _profile, store = Profile.create(
            "terms", passphrase="oefenzin voor de termijnen", username=ME,
            role="caseworker", params=FAST, home=home,
        )  # fmt: skip
    people = {
        name: _client(bsn, surname, name, village=village)
        for name, bsn, surname, village in (
            ("Ann", "111111110", "Appel", "Zoutkamp"),
            ("Bob", "222222220", "Bakker", "Ulrum"),
            ("Cor", "333333330", "Claassen", "Zoutkamp"),
            ("Dirk", "444444440", "Dijk", "Ulrum"),
            ("Eva", "555555550", "Evers", "Zoutkamp"),
            ("Fem", "666666660", "Fokkema", "Ulrum"),
        )
    }

    def intake(name: str, **dates: date) -> Intake:
        return Intake(
            client_id=people[name].id,
            caseworker=ME,
            parts={field: day.isoformat() for field, day in dates.items()},
        )

    approved = intake("Dirk", pw_aanvraag_date=date(2026, 9, 1))
    approved = dataclasses.replace(
        approved,
        status=IntakeStatus.APPROVED,
        round=1,
        reviewer="t.mulder",
        reviewed_at=_at(date(2026, 10, 1)),
    )
    intakes = [
        # Six weeks from Saturday 10 October end on Saturday 21 November, so (Atw) on Monday
        # the 23rd: due today.
        intake("Ann", wmo_melding_date=date(2026, 10, 10)),
        # Eight weeks from Friday 18 September: Friday 13 November, ten days overdue.
        intake("Bob", pw_aanvraag_date=date(2026, 9, 18)),
        # Two weeks from Saturday 21 November: Saturday 5 December, so Monday the 7th.
        intake("Cor", wmo_aanvraag_date=date(2026, 11, 21)),
        approved,  # decided: its clock has stopped
        # The assessment stopped at the report; the Pw decision has 36 days left, and a second
        # intake's Wmo decision (from Thursday 12 November) three: the most urgent shows.
        intake(
            "Eva",
            wmo_melding_date=date(2026, 8, 3),
            wmo_report_given_date=date(2026, 9, 1),
            pw_aanvraag_date=date(2026, 11, 3),
        ),
        intake("Eva", wmo_aanvraag_date=date(2026, 11, 12)),
    ]
    gone = intake("Fem", pw_aanvraag_date=date(2026, 9, 1))  # deleted: no term
    with store.transaction() as tx:
        tx.create_many([*people.values(), *intakes, gone])
    store.delete(Intake, gone.id)
    try:
        yield Terms(store=store, ids={n: c.id for n, c in people.items()}, intakes=intakes)
    finally:
        store.close()


def _terms(terms: Terms, today: date = TODAY, **query: Any) -> list[CaseloadRow]:
    return load_caseload(terms.store, CaseloadQuery(**query), today=today)


def test_each_client_shows_its_most_urgent_running_term(terms: Terms) -> None:
    from app.domain.clocks import ClockKind, most_urgent
    from app.services.clocks import clocks_of

    rows = {r.client_id: r for r in _terms(terms)}
    shown = {
        name: (row.term.kind if row.term else None, row.term_left)
        for name, row in ((n, rows[i]) for n, i in terms.ids.items())
    }
    assert shown == {
        "Ann": (ClockKind.WMO_ONDERZOEK, 0),
        "Bob": (ClockKind.PW_BESLISSING, -10),
        "Cor": (ClockKind.WMO_BESCHIKKING, 14),
        "Dirk": (None, None),
        "Eva": (ClockKind.WMO_BESCHIKKING, 3),
        "Fem": (None, None),
    }
    bob = rows[terms.ids["Bob"]]
    assert bob.term is not None and bob.term.due == date(2026, 11, 13)
    assert bob.term.started == date(2026, 9, 18)
    assert bob.term_overdue and bob.term_due
    assert rows[terms.ids["Ann"]].term_due and not rows[terms.ids["Ann"]].term_overdue
    assert not rows[terms.ids["Cor"]].term_due
    # The same clocks as the service computes from the Intake records themselves.
    for client_id, row in rows.items():
        clocks = [c for i in terms.intakes if i.client_id == client_id for c in clocks_of(i)]
        assert row.term == most_urgent(clocks, TODAY), row.display_name


def test_sorting_on_the_term_puts_the_most_urgent_first_and_empties_last(terms: Terms) -> None:
    names = {client_id: name for name, client_id in terms.ids.items()}

    def order(**query: Any) -> list[str]:
        return [names[r.client_id] for r in _terms(terms, sort=SortColumn.TERM, **query)]

    assert order() == ["Bob", "Ann", "Eva", "Cor", "Dirk", "Fem"]
    assert order(descending=True) == ["Cor", "Eva", "Ann", "Bob", "Dirk", "Fem"]
    # A search takes the other path through SQL: the same order.
    assert order(text="zoutkamp") == ["Ann", "Eva", "Cor"]


def test_the_term_filter_keeps_terms_overdue_or_due_within_five_days(terms: Terms) -> None:
    names = {client_id: name for name, client_id in terms.ids.items()}

    def found(today: date = TODAY, **query: Any) -> set[str]:
        return {names[r.client_id] for r in _terms(terms, today, term_due=True, **query)}

    assert found() == {"Ann", "Bob", "Eva"}
    assert found(village="Zoutkamp") == {"Ann", "Eva"}
    # Nine days on Cor has five days left; a week earlier Ann still had seven.
    assert found(TODAY + timedelta(days=9)) == {"Ann", "Bob", "Cor", "Eva"}
    assert found(TODAY - timedelta(days=7)) == {"Bob"}
    full = {r.client_id: r for r in _terms(terms)}
    assert all(full[r.client_id] == r for r in _terms(terms, term_due=True))
    assert all(r.term_due for r in _terms(terms, term_due=True))
