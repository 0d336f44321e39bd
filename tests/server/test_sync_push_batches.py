"""A push batch is applied in one go when it can be; one bad entry costs only itself."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import AuditEntry, DeviceMutation, clients
from tests.server.conftest import Device
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import fake_client


def test_a_bad_entry_is_rejected_alone_and_the_others_stand(
    api: TestClient, session: Session, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    first = fake_client(1, "111222333", caseworker="k.dijkstra")
    second = fake_client(2, "123456782", caseworker="k.dijkstra")
    created = api.post(
        "/v1/sync/push",
        json={
            "entries": [
                entry(1, "client", first.id, first.id, "create", first.to_fields()),
                entry(2, "client", second.id, second.id, "create", second.to_fields()),
            ]
        },
        headers=device.headers,
    )
    assert [a["status"] for a in created.json()["answers"]] == ["applied", "applied"]

    batch = [
        entry(3, "client", first.id, first.id, "update", {"participation_step": 4}),
        # Not a postcode: the domain refuses the record, so this entry cannot be applied.
        entry(4, "client", second.id, second.id, "update", {"postcode": "XXXX"}),
        entry(5, "client", second.id, second.id, "update", {"participation_step": 2}),
    ]
    for entry_ in batch:
        entry_["base_values"] = {"participation_step": None, "postcode": "9965 AB"}
    answer = api.post("/v1/sync/push", json={"entries": batch}, headers=device.headers)
    assert answer.status_code == 200, answer.text
    statuses = [(a["seq"], a["status"], a.get("code")) for a in answer.json()["answers"]]
    assert statuses == [
        (3, "applied", None),
        (4, "rejected", "invalid_entry"),
        (5, "applied", None),
    ]
    assert answer.json()["last_applied_seq"] == 5
    # The refusal carries the server's record, so the device can put its copy back.
    refused = answer.json()["answers"][1]
    assert refused["server_values"]["postcode"] == "9965 AB"

    steps = dict(session.execute(select(clients.c.id, clients.c.participation_step)).all())
    assert steps == {first.id: 4, second.id: 2}
    assert session.scalar(select(func.count()).select_from(DeviceMutation)) == 5
    updates = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "update")
    )
    assert updates == 2
    session.commit()  # SQLite: let go of the write lock before the API runs again

    # The same batch again: every answer is the stored one, nothing changes twice.
    again = api.post("/v1/sync/push", json={"entries": batch}, headers=device.headers)
    assert again.json()["answers"] == answer.json()["answers"]
    session.expire_all()
    assert dict(session.execute(select(clients.c.id, clients.c.participation_step)).all()) == steps
