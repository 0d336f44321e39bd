"""Protocol 4: a push may ask for the round's first pull page (PULL_HEADER), answered with the
push once it is committed, so a round with edits is one request. The page is the one a pull with
the same cursor gives; a push without the header is answered as before protocol 4."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from app.sync.protocol import NEXT_CURSOR_HEADER, PULL_HEADER
from server.models import Device as DeviceRow
from tests.server.conftest import Device, enroll
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import fake_client
from tests.server.test_pull_ahead import _bsns


def _push(
    api: TestClient, device: Device, entries: list[dict[str, Any]], pull: dict[str, Any] | None
) -> Any:
    headers = dict(device.headers)
    if pull is not None:
        headers[PULL_HEADER] = json.dumps(pull)
    return api.post("/v1/sync/push", json={"entries": entries}, headers=headers)


def _pull_all(api: TestClient, device: Device, cursor: str | None) -> str:
    while True:
        page = api.post(
            "/v1/sync/pull", json={"cursor": cursor, "limit": 100}, headers=device.headers
        )
        assert page.status_code == 200, page.text
        cursor = page.json()["cursor"]
        if not page.json()["more"]:
            return str(cursor)


def _hello(device: Device, **known: Any) -> dict[str, Any]:
    """A round's hello as a device of protocol 4 sends it, with what it knows of the server."""
    return {
        "device_id": device.device_id,
        "protocol": 4,
        "schema_version": "",
        "app_version": "99.0.0",
        "client_time": datetime.now(UTC).isoformat(),
        **known,
    }


def _comparable(page: dict[str, Any]) -> dict[str, Any]:
    return {k: page[k] for k in ("records", "scope_enter", "scope_exit", "cursor", "more")}


def _setup(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> tuple[Device, Device, list[Any]]:
    """Two devices of one caseworker, both synced, and three clients of theirs."""
    laptop = enrolled("k.dijkstra", "caseworker")
    numbers = _bsns(3)
    clients = [fake_client(n, numbers[n], caseworker="k.dijkstra") for n in range(3)]
    entries = [
        entry(n, "client", c.id, c.id, "create", c.to_fields())
        for n, c in enumerate(clients, start=1)
    ]
    assert _push(api, laptop, entries, None).status_code == 200
    spare = enroll(api, app, "k.dijkstra")
    return laptop, spare, clients


def test_a_push_answers_with_the_page_a_pull_after_it_gives(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    laptop, spare, clients = _setup(api, app, enrolled)
    cursor = _pull_all(api, laptop, None)
    _pull_all(api, spare, None)

    # The other laptop changed one client; this one sends a change of another.
    theirs = {"phone": "0612345678"}
    pushed = _push(
        api, spare, [entry(1, "client", clients[0].id, clients[0].id, "update", theirs)], None
    )
    assert pushed.status_code == 200, pushed.text
    mine = {"phone": "0687654321"}
    answer = _push(
        api,
        laptop,
        [entry(4, "client", clients[1].id, clients[1].id, "update", mine)],
        {"cursor": cursor, "limit": 100},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [a["status"] for a in body["answers"]] == ["applied"]
    page = body["page"]
    changed = {r["id"]: r["fields"]["phone"] for r in page["records"]}
    assert changed == {clients[0].id: "0612345678", clients[1].id: "0687654321"}
    assert page["more"] is False and NEXT_CURSOR_HEADER not in answer.headers

    # A pull with the same cursor gives the same page (the push's page changed nothing).
    again = api.post("/v1/sync/pull", json={"cursor": cursor, "limit": 100}, headers=laptop.headers)
    assert _comparable(again.json()) == _comparable(page)


def test_the_page_is_bounded_by_the_limit_and_names_the_next_cursor(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    laptop, _spare, _clients = _setup(api, app, enrolled)
    answer = _push(api, laptop, [], {"limit": 1})
    assert answer.status_code == 200, answer.text
    page = answer.json()["page"]
    assert len(page["scope_enter"]) == 1 and page["more"] is True
    assert answer.headers[NEXT_CURSOR_HEADER] == page["cursor"]


def test_without_the_header_the_answer_is_as_before_protocol_4(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    laptop, _spare, _clients = _setup(api, app, enrolled)
    answer = _push(api, laptop, [], None)
    assert answer.status_code == 200, answer.text
    assert "page" not in answer.json()  # a device of protocol 3 refuses members it does not know


def test_a_header_that_is_not_a_pull_is_refused_before_anything_is_written(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    laptop, _spare, clients = _setup(api, app, enrolled)
    cursor = _pull_all(api, laptop, None)
    change = {"phone": "0611111111"}
    edit = entry(4, "client", clients[2].id, clients[2].id, "update", change)
    for bad in ("not json", json.dumps({"cursor": cursor, "applied": cursor}), '{"limit": 0}'):
        headers = {**laptop.headers, PULL_HEADER: bad}
        refused = api.post("/v1/sync/push", json={"entries": [edit]}, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid_request"
    # Nothing of it was taken: the same entry is applied now, not replayed.
    answer = _push(api, laptop, [edit], {"cursor": cursor})
    assert [a["status"] for a in answer.json()["answers"]] == ["applied"]
    assert [r["id"] for r in answer.json()["page"]["records"]] == [clients[2].id]


def test_a_cursor_the_server_refuses_leaves_the_push_answered_and_no_page(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    laptop, _spare, clients = _setup(api, app, enrolled)
    _pull_all(api, laptop, None)
    change = {"phone": "0622222222"}
    edit = entry(4, "client", clients[2].id, clients[2].id, "update", change)
    for refused in ("bm90IGEgY3Vyc29y", "eyJlIjoib3RoZXIiLCJwIjoxfQ"):  # garbage; another epoch
        answer = _push(api, laptop, [edit], {"cursor": refused})
        assert answer.status_code == 200, answer.text
        assert "page" not in answer.json()
        assert [a["status"] for a in answer.json()["answers"]] == ["applied"]
    # The device's own pull then meets the refusal.
    stale = api.post(
        "/v1/sync/pull", json={"cursor": "eyJlIjoib3RoZXIiLCJwIjoxfQ"}, headers=laptop.headers
    )
    assert stale.status_code == 409 and stale.json()["code"] == "reset_required"


def test_a_hello_that_asks_for_a_reset_gets_no_page(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    laptop, _spare, _clients = _setup(api, app, enrolled)
    cursor = _pull_all(api, laptop, None)
    hello = _hello(laptop, last_acked_seq=10_000)  # more than this server knows: restored
    headers = {**laptop.headers, PULL_HEADER: json.dumps({"cursor": cursor})}
    answer = api.post("/v1/sync/push", json={"entries": [], "hello": hello}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["hello"]["reset_required"] is True
    assert "page" not in answer.json()


def test_the_device_state_is_read_once_per_transaction(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    """The hello, the entries, the audit events and the page each need the device's sync
    state; the push's transaction reads it once and the page's transaction once (the session's
    identity map holds it weakly, and the audit events read it again)."""
    laptop, _spare, clients = _setup(api, app, enrolled)
    cursor = _pull_all(api, laptop, None)
    hello = _hello(laptop, last_acked_seq=3, cursor=cursor, open_conflicts=0)
    edit = entry(4, "client", clients[0].id, clients[0].id, "update", {"phone": "0633333333"})
    reads: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM device_sync" in statement:
            reads.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", seen)
    try:
        headers = {**laptop.headers, PULL_HEADER: json.dumps({"cursor": cursor})}
        viewed = {
            "seq": 1,
            "event_id": str(uuid.uuid4()),
            "at": datetime.now(UTC).isoformat(),
            "actor": "k.dijkstra",
            "action": "view",
            "entity": "client",
            "record_id": clients[0].id,
            "client_id": clients[0].id,
            "prev_hash": "0" * 64,
            "hash": "1" * 64,
        }
        answer = api.post(
            "/v1/sync/push",
            json={"entries": [edit], "hello": hello, "audit": [viewed]},
            headers=headers,
        )
    finally:
        event.remove(app.state.engine, "before_cursor_execute", seen)
    assert answer.status_code == 200, answer.text
    assert [a["status"] for a in answer.json()["answers"]] == ["applied"]
    assert answer.json()["audit"]["accepted"] == 1
    assert [r["id"] for r in answer.json()["page"]["records"]] == [clients[0].id]
    assert len(reads) == 2, reads


def test_the_app_version_a_hello_reports_is_stored_without_reading_the_device_again(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    """Every round's hello names the app's version: the device's row is read once a request,
    by authentication, and written only when the version differs from what that read."""
    laptop, _spare, _clients = _setup(api, app, enrolled)
    cursor = _pull_all(api, laptop, None)
    touching = re.compile(r"\b(FROM|UPDATE|INTO) devices\b")
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if touching.search(statement):
            statements.append(statement.split()[0].upper())

    def round_with(version: str, *, push: bool) -> list[str]:
        statements.clear()
        hello = _hello(laptop, last_acked_seq=3, cursor=cursor, app_version=version)
        if push:
            headers = {**laptop.headers, PULL_HEADER: json.dumps({"cursor": cursor})}
            answer = api.post(
                "/v1/sync/push", json={"entries": [], "hello": hello}, headers=headers
            )
        else:
            answer = api.post(
                "/v1/sync/pull", json={"cursor": cursor, "hello": hello}, headers=laptop.headers
            )
        assert answer.status_code == 200, answer.text
        return list(statements)

    def stored() -> str | None:
        with app.state.sessionmaker() as session:
            version: str | None = session.scalars(
                select(DeviceRow.app_version).where(DeviceRow.id == laptop.device_id)
            ).one()
            return version

    event.listen(app.state.engine, "before_cursor_execute", seen)
    try:
        assert round_with("9.1.0", push=True) == ["SELECT", "UPDATE"]
        assert stored() == "9.1.0"
        assert round_with("9.1.0", push=True) == ["SELECT"]
        assert round_with("9.1.0", push=False) == ["SELECT"]
        assert round_with("9.2.0", push=False) == ["SELECT", "UPDATE"]
        assert stored() == "9.2.0"
    finally:
        event.remove(app.state.engine, "before_cursor_execute", seen)
