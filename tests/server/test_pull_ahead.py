"""A device may fetch the next page while it applies the one it has (`applied` in the pull):
the server continues after the page fetched, but keeps owing what was not yet applied."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.exc import SAWarning
from stdnum.nl import bsn

from app.sync.protocol import NEXT_CURSOR_HEADER, PROTOCOL_VERSION, Hello
from tests.server.conftest import Device
from tests.server.sync_entries import entry
from tests.server.test_admin_api import assign
from tests.server.test_policy_matrix import fake_client


def _bsns(count: int) -> list[str]:
    """Made-up BSNs that pass the 11-check."""
    found: list[str] = []
    candidate = 111_222_300
    while len(found) < count:
        candidate += 1
        if bsn.is_valid(str(candidate)):
            found.append(str(candidate))
    return found


def _pull(
    api: TestClient, device: Device, cursor: str | None, *, applied: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"cursor": cursor, "limit": 1}
    if applied is not None:
        body["applied"] = applied
    answer = api.post("/v1/sync/pull", json=body, headers=device.headers)
    assert answer.status_code == 200, answer.text
    page: dict[str, Any] = answer.json()
    return page


def _all(api: TestClient, device: Device, cursor: str | None) -> tuple[str, list[dict[str, Any]]]:
    pages = []
    while True:
        page = _pull(api, device, cursor)
        pages.append(page)
        cursor = page["cursor"]
        if not page["more"]:
            return str(cursor), pages


def _clients(pages: list[dict[str, Any]]) -> list[str]:
    return [cid for page in pages for cid in page["scope_enter"]]


def test_what_a_page_fetched_ahead_carries_is_owed_until_applied(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    admin = enrolled("beheer", "admin")
    colleague = enrolled("m.bakker", "caseworker")
    device = enrolled("k.dijkstra", "caseworker")
    numbers = _bsns(4)
    mine = [fake_client(n, numbers[n], caseworker="k.dijkstra") for n in range(1, 4)]
    theirs = fake_client(9, numbers[0], caseworker="m.bakker")
    for who, clients in ((device, mine), (colleague, [theirs])):
        entries = [
            entry(n, "client", c.id, c.id, "create", c.to_fields())
            for n, c in enumerate(clients, start=1)
        ]
        pushed = api.post("/v1/sync/push", json={"entries": entries}, headers=who.headers)
        assert pushed.status_code == 200, pushed.text
    applied, _pages = _all(api, device, None)

    # One client comes from a colleague, one goes to them.
    assert assign(api, admin, theirs.id, "k.dijkstra").status_code == 201
    assert assign(api, admin, mine[1].id, "m.bakker").status_code == 201
    first = _pull(api, device, applied)
    assert first["scope_enter"] == [theirs.id]
    assert first["scope_exit"] == [mine[1].id]
    # The next page is fetched while the first is applied ...
    ahead = _pull(api, device, first["cursor"], applied=applied)
    assert ahead["scope_enter"] == []  # nothing more enters: the first page had it
    # ... and the device stops before applying either: from what it applied, it gets the
    # client and the exit again.
    again = _pull(api, device, applied)
    assert again["scope_enter"] == [theirs.id]
    assert again["scope_exit"] == [mine[1].id]

    # Applied for real, they are done with.
    cursor, rest = _all(api, device, again["cursor"])
    assert _clients(rest) == []
    after = _pull(api, device, cursor)
    assert after["scope_exit"] == [] and after["scope_enter"] == [] and not after["more"]


def test_an_applied_cursor_ahead_of_the_cursor_is_refused(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    client = fake_client(1, _bsns(1)[0], caseworker="k.dijkstra")
    api.post(
        "/v1/sync/push",
        json={"entries": [entry(1, "client", client.id, client.id, "create", client.to_fields())]},
        headers=device.headers,
    )
    cursor, _pages = _all(api, device, None)
    answer = api.post(
        "/v1/sync/pull",
        json={"cursor": "", "applied": cursor, "limit": 10},
        headers=device.headers,
    )
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_cursor"


def test_clients_of_a_lost_page_larger_than_the_next_pages_stay_owed(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    """A page lost on the way is owed again; when the next pages are smaller (the link got
    slower) the ones it cannot carry stay owed, though the cursor's page number passes it."""
    device = enrolled("k.dijkstra", "caseworker")
    mine = [fake_client(n, number, caseworker="k.dijkstra") for n, number in enumerate(_bsns(4))]
    entries = [
        entry(n, "client", c.id, c.id, "create", c.to_fields()) for n, c in enumerate(mine, 1)
    ]
    pushed = api.post("/v1/sync/push", json={"entries": entries}, headers=device.headers)
    assert pushed.status_code == 200, pushed.text
    big = api.post("/v1/sync/pull", json={"limit": 100}, headers=device.headers)
    assert sorted(big.json()["scope_enter"]) == sorted(c.id for c in mine)  # and lost

    _cursor, pages = _all(api, device, None)  # one client per page now
    assert sorted(_clients(pages)) == sorted(c.id for c in mine)


def test_a_page_with_more_to_come_names_the_next_cursor_in_its_headers(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    """So a device can ask for the next page before this one's body has arrived: the header
    says what the body's cursor says, on every page that has a next one, and on no other."""
    device = enrolled("k.dijkstra", "caseworker")
    numbers = _bsns(3)
    clients = [fake_client(n, numbers[n - 1], caseworker="k.dijkstra") for n in range(1, 4)]
    entries = [
        entry(n, "client", c.id, c.id, "create", c.to_fields())
        for n, c in enumerate(clients, start=1)
    ]
    pushed = api.post("/v1/sync/push", json={"entries": entries}, headers=device.headers)
    assert pushed.status_code == 200, pushed.text

    cursor: str | None = None
    announced: list[str | None] = []
    while True:
        answer = api.post(
            "/v1/sync/pull",
            json={"cursor": cursor, "applied": cursor or "", "limit": 1},
            headers=device.headers,
        )
        assert answer.status_code == 200, answer.text
        page = answer.json()
        announced.append(answer.headers.get(NEXT_CURSOR_HEADER))
        if not page["more"]:
            break
        assert announced[-1] == page["cursor"]
        cursor = page["cursor"]
    assert len(announced) >= 3  # one client a page
    assert announced[-1] is None
    # The plain GET pull of protocol 1 says it too.
    first = api.get("/v1/sync/pull", params={"limit": 1}, headers=device.headers)
    assert first.status_code == 200, first.text
    assert first.headers.get(NEXT_CURSOR_HEADER) == first.json()["cursor"]


def test_a_pull_with_the_rounds_hello_reads_its_page_in_one_snapshot(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    """The hello is answered (and committed) first; the page then gets its own REPEATABLE READ
    transaction on PostgreSQL. A transaction the hello left open made SQLAlchemy ignore the
    isolation level with only a warning, and the page was read in READ COMMITTED."""
    device = enrolled("m.bakker", "caseworker")
    hello = Hello(
        device_id=device.device_id,
        protocol=PROTOCOL_VERSION,
        schema_version="test",
        app_version="9.1.0",
        client_time=datetime.now(UTC),
    )
    body = {"hello": hello.model_dump(mode="json"), "cursor": None, "limit": 10}
    with warnings.catch_warnings():
        warnings.simplefilter("error", SAWarning)
        answer = api.post("/v1/sync/pull", json=body, headers=device.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["hello"]["reset_required"] is False
