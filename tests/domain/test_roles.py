"""Roles are an enum that still equals the stored strings."""

from __future__ import annotations

import json

from app.domain.roles import DEVICE_ROLES, Role, role_label


def test_roles_equal_their_stored_values() -> None:
    stored: str = "team_lead"
    assert stored == Role.TEAM_LEAD
    assert Role("caseworker") is Role.CASEWORKER
    assert "admin" in set(Role)
    assert json.dumps({"role": Role.TEAM_LEAD}) == '{"role": "team_lead"}'
    assert f"{Role.CASEWORKER}" == "caseworker"


def test_labels() -> None:
    assert Role.CASEWORKER.label() == "Klantmanager"
    assert Role.TEAM_LEAD.label("en") == "Team lead"
    assert all(role.label("nl") and role.label("en") for role in Role)
    assert role_label("team_lead") == "Teamleider"
    assert role_label("auditor") == "auditor"


def test_only_caseworkers_and_team_leads_work_on_a_device() -> None:
    assert "caseworker" in DEVICE_ROLES and "team_lead" in DEVICE_ROLES
    assert "admin" not in DEVICE_ROLES
