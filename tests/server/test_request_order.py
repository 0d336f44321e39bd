"""Page requests are answered in the device's order (ORDER_HEADER): a request the device gave
up in an outage can still reach the server after later ones (TCP goes on delivering what a
closed socket had sent). Its old cursor would take the pages applied since as unapplied and owe
their clients again, so the server refuses it and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.sync.protocol import ORDER_HEADER, ORDER_REFUSAL, PULL_HEADER
from tests.server.conftest import Device
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import fake_client
from tests.server.test_pull_ahead import _bsns


def _numbered(device: Device, order: int | None) -> dict[str, str]:
    headers = dict(device.headers)
    if order is not None:
        headers[ORDER_HEADER] = str(order)
    return headers


def _pull(
    api: TestClient,
    device: Device,
    cursor: str | None,
    order: int | None,
    *,
    applied: str | None = None,
) -> Any:
    body: dict[str, Any] = {"cursor": cursor, "limit": 1}
    if applied is not None:
        body["applied"] = applied
    return api.post("/v1/sync/pull", json=body, headers=_numbered(device, order))


def _page(api: TestClient, device: Device, cursor: str | None, order: int | None) -> Any:
    answer = _pull(api, device, cursor, order)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _caseload(api: TestClient, enrolled: Callable[..., Device], count: int) -> Device:
    """A device whose caseworker has `count` clients, one to a page (limit 1)."""
    device = enrolled("k.dijkstra", "caseworker")
    clients = [
        fake_client(n, number, caseworker="k.dijkstra")
        for n, number in enumerate(_bsns(count), start=1)
    ]
    entries = [
        entry(n, "client", c.id, c.id, "create", c.to_fields())
        for n, c in enumerate(clients, start=1)
    ]
    pushed = api.post("/v1/sync/push", json={"entries": entries}, headers=device.headers)
    assert pushed.status_code == 200, pushed.text
    return device


def test_a_page_request_overtaken_by_a_later_one_is_refused_and_owes_nothing_again(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = _caseload(api, enrolled, 3)
    first = _page(api, device, None, 10)
    # The device asked for the next page (11) and gave it up in an outage; it asked again (12)
    # and applied that page too.
    second = _page(api, device, first["cursor"], 12)
    assert second["scope_enter"] != first["scope_enter"]
    # Now the given-up request arrives, asking after the first page.
    late = _pull(api, device, first["cursor"], 11)
    assert late.status_code == 409
    assert late.json() == {
        "code": ORDER_REFUSAL,
        "message": "A later request of this device was answered first; ask again.",
        "last_order": 12,
    }
    # Nothing of what the device applied is owed again: the third client, then nothing.
    third = _page(api, device, second["cursor"], 13)
    assert len(third["scope_enter"]) == 1
    assert third["scope_enter"][0] not in first["scope_enter"] + second["scope_enter"]
    done = _page(api, device, third["cursor"], 14)
    assert done["scope_enter"] == [] and done["records"] == [] and not done["more"]


def test_a_late_first_request_does_not_start_the_download_over(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = _caseload(api, enrolled, 2)
    first = _page(api, device, None, 21)
    second = _page(api, device, first["cursor"], 22)
    # A first request without a cursor would owe every client again.
    assert _pull(api, device, None, 20).status_code == 409
    done = _page(api, device, second["cursor"], 23)
    assert done["scope_enter"] == [] and not done["more"]


def test_the_same_number_again_is_answered(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = _caseload(api, enrolled, 2)
    first = _page(api, device, None, 30)
    again = _page(api, device, None, 30)
    assert again["scope_enter"] == first["scope_enter"]


def test_requests_without_a_number_are_not_compared(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    # Devices before the header: pages in the order they come, as before.
    device = _caseload(api, enrolled, 2)
    first = _page(api, device, None, 40)
    assert _pull(api, device, None, None).status_code == 200
    assert _page(api, device, first["cursor"], 41)["more"]


def test_the_ahead_fetch_and_the_get_pull_are_numbered_too(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = _caseload(api, enrolled, 3)
    first = _page(api, device, None, 50)
    ahead = _pull(api, device, first["cursor"], 52, applied="")
    assert ahead.status_code == 200, ahead.text
    assert _pull(api, device, first["cursor"], 51, applied="").status_code == 409
    old = api.get("/v1/sync/pull", params={"limit": 1}, headers=_numbered(device, 49))
    assert old.status_code == 409 and old.json()["code"] == ORDER_REFUSAL


def test_a_push_numbered_out_of_order_is_answered_without_its_page(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = _caseload(api, enrolled, 2)
    _page(api, device, None, 60)
    client = fake_client(7, _bsns(9)[-1], caseworker="k.dijkstra")
    headers = _numbered(device, 59)
    headers[PULL_HEADER] = json.dumps({"cursor": None, "limit": 1})
    pushed = api.post(
        "/v1/sync/push",
        json={"entries": [entry(3, "client", client.id, client.id, "create", client.to_fields())]},
        headers=headers,
    )
    # The edit is taken; the page is left to the device's own pull, which gets its number.
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["answers"][0]["status"] == "applied"
    assert "page" not in pushed.json()


def test_a_number_that_is_not_one_is_refused(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    for bad in ("-1", "soon", str(2**63)):
        headers = {**device.headers, ORDER_HEADER: bad}
        answer = api.post("/v1/sync/pull", json={"cursor": None}, headers=headers)
        assert answer.status_code == 422, bad
        assert answer.json()["code"] == "invalid_request"
