from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.server.conftest import Device


def test_health_needs_no_token(api: TestClient) -> None:
    response = api.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_me_with_a_device_token(api: TestClient, enrolled: Callable[..., Device]) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    response = api.get("/v1/me", headers=device.headers)
    assert response.status_code == 200
    assert response.json() == {
        "username": "k.dijkstra",
        "role": "caseworker",
        "device_id": device.device_id,
    }


def test_errors_are_json_with_a_code(api: TestClient) -> None:
    missing = api.get("/v1/me")
    assert missing.status_code == 401
    assert missing.json()["code"] == "missing_token"
    unknown = api.get("/v1/nothing-here")
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"code", "message"}
    invalid = api.post("/v1/enroll", json={"username": 5})
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid_request"
    assert "Traceback" not in invalid.text
