"""Demo profiles: a caseworker and a team lead on this device, filled with generated data.

Nothing here is real: names come from Faker, BSNs are random numbers that pass the 11-check,
addresses are real villages and postcode areas with invented streets and house numbers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.demo.caseload import DemoCaseload, generate_caseload
from app.domain.records import Record
from app.domain.states import IntakeStatus
from app.storage.profiles import Profile, ProfileError, find_profile, list_profiles
from app.storage.store import Store
from app.storage.vault import KdfParams

CASEWORKER = "k.dijkstra"
OTHER_CASEWORKER = "m.bakker"
TEAM_LEAD = "t.mulder"
CASEWORKER_PROFILE = "demo-caseworker"
TEAM_LEAD_PROFILE = "demo-teamlead"
# The kinds of record a team lead's device holds; the same list as the server's scope
# (server/policy.py), which the desktop app does not import.
TEAM_LEAD_ENTITIES = (
    "client",
    "household_member",
    "enrollment",
    "intake",
    "intake_round",
    "review_comment",
)

# Words from the Wadden coast: easy to type; four of them from this list give about 20 bits,
# enough for a demo profile of fake people, and obviously a demo passphrase by its look.
_WORDS = (
    "kwelder",
    "wad",
    "terp",
    "mosselbank",
    "garnaal",
    "kotter",
    "zeedijk",
    "slenk",
    "lauwers",
    "wierde",
    "gemaal",
    "zijl",
    "kerkpad",
    "maar",
    "dollard",
    "eems",
    "reitdiep",
    "borg",
    "klooster",
    "molen",
    "kluut",
    "scholekster",
    "wulp",
    "tureluur",
    "grutto",
    "kievit",
    "zeehond",
    "rogge",
    "vlas",
    "biet",
)


def demo_passphrase() -> str:
    return "-".join(secrets.choice(_WORDS) for _ in range(4))


@dataclass(frozen=True, slots=True)
class DemoProfile:
    profile: Profile
    passphrase: str
    records: int
    clients: int


Progress = Callable[[str], None]


def _fill(store: Store, records: list[Record], *, progress: Progress, label: str) -> None:
    # Demo data stands for what the central office already holds, so it arrives as synced
    # records (version 1) rather than as local edits waiting to be pushed.
    batch = 2000
    for start in range(0, len(records), batch):
        with store.transaction() as tx:
            for record in records[start : start + batch]:
                tx.apply_remote(record, version=1)
        progress(f"{label}: {min(start + batch, len(records))}/{len(records)}")
    store.record_event("demo_import", "profile", records=len(records))


def _caseworker_records(caseload: DemoCaseload) -> list[Record]:
    mine = {c.id for c in caseload.clients if c.caseworker == CASEWORKER}
    return [r for r in caseload.all_records() if r.client_id in mine]


def _team_lead_records(caseload: DemoCaseload) -> list[Record]:
    """What the server gives a team lead (server/policy.py): of the team's clients with an
    intake waiting for review, the records shown beside it (TEAM_LEAD_ENTITIES there), the
    client's earlier intakes with their rounds and comment threads included."""
    to_review = {i.client_id for i in caseload.intakes if i.status is IntakeStatus.SUBMITTED}
    return [
        r
        for r in caseload.all_records()
        if r.client_id in to_review and r.ENTITY in TEAM_LEAD_ENTITIES
    ]


def create_demo_profiles(
    *,
    clients: int,
    seed: int,
    home: Path | None = None,
    replace: bool = False,
    params: KdfParams | None = None,
    progress: Progress = lambda _message: None,
) -> list[DemoProfile]:
    """Generate a caseload and create both demo profiles from it. Existing demo profiles are
    destroyed first only when `replace` is set."""
    existing = {p.name for p in list_profiles(home)}
    for name in (CASEWORKER_PROFILE, TEAM_LEAD_PROFILE):
        if name in existing:
            if not replace:
                raise ProfileError(
                    "demo_profile_exists",
                    "De demoprofielen bestaan al; gebruik --replace om ze opnieuw te maken.",
                    "The demo profiles already exist; use --replace to make them again.",
                )
            find_profile(name, home).destroy()
    progress(f"Generating a caseload of {clients} clients (seed {seed})")
    caseload = generate_caseload(
        clients=clients,
        seed=seed,
        caseworkers=(CASEWORKER, OTHER_CASEWORKER),
        team_lead=TEAM_LEAD,
    )
    made = []
    for name, username, role, pick in (
        (CASEWORKER_PROFILE, CASEWORKER, "caseworker", _caseworker_records),
        (TEAM_LEAD_PROFILE, TEAM_LEAD, "team_lead", _team_lead_records),
    ):
        passphrase = demo_passphrase()
        progress(f"Creating profile {name} (deriving the key takes about a second)")
        profile, store = Profile.create(
            name, passphrase=passphrase, username=username, role=role, params=params, home=home
        )
        try:
            records = pick(caseload)
            _fill(store, records, progress=progress, label=name)
            made.append(
                DemoProfile(
                    profile=profile,
                    passphrase=passphrase,
                    records=len(records),
                    clients=sum(1 for r in records if r.ENTITY == "client"),
                )
            )
        finally:
            store.close()
    return made
