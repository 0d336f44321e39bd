"""The roles a user account has. Stored and sent as the plain values ("team_lead"); a `Role`
compares equal to those strings, so stored profiles, database rows and wire messages stay as
they are."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DEVICE_ROLES", "Role", "role_label"]


class Role(StrEnum):
    CASEWORKER = "caseworker"  # klantmanager: works a caseload on a device
    TEAM_LEAD = "team_lead"  # teamleider: reviews the team's intakes
    ADMIN = "admin"  # functioneel beheer: central office, never on a device

    def label(self, language: str = "nl") -> str:
        label_nl, label_en = _LABELS[self]
        return label_nl if language.startswith("nl") else label_en


_LABELS: dict[Role, tuple[str, str]] = {
    Role.CASEWORKER: ("Klantmanager", "Caseworker"),
    Role.TEAM_LEAD: ("Teamleider", "Team lead"),
    Role.ADMIN: ("Functioneel beheerder", "Administrator"),
}

# Roles whose users keep dossiers on an enrolled device; central office works on the server.
DEVICE_ROLES: tuple[Role, ...] = (Role.CASEWORKER, Role.TEAM_LEAD)


def role_label(role: str, language: str = "nl") -> str:
    """The label of a stored role value; an unknown value is shown as it is."""
    try:
        return Role(role).label(language)
    except ValueError:
        return role
