"""The server's audit log, newest first, 100 a page, filtered by user, client, action and
period. Read only: nothing here changes the log (it is append-only in the database too)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Select, String, cast, or_, select

from app.domain.access_log import describe_event
from app.domain.local_time import ZONE
from app.domain.schema import ACTION_LABELS, action_label, entity_label
from server.api.deps import SessionDep
from server.console.forms import page_number
from server.console.guard import CurrentAdmin
from server.console.shown import moment
from server.console.text import TEXT
from server.console.web import PREFIX, language_of, render
from server.models import AuditEntry

router = APIRouter(prefix=PREFIX, include_in_schema=False)

PAGE_SIZE = 100
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


def parse_day(text: str) -> date | None:
    """A day as a date field sends it (2026-11-22) or as people type it (22-11-2026)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found is None:
        return None
    try:
        return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    # A day of the four municipalities, whatever the server's zone.
    return datetime.combine(day, time(), tzinfo=ZONE).astimezone(UTC)


@dataclass(frozen=True)
class Filters:
    user: str = ""
    client: str = ""
    action: str = ""
    since: str = ""
    until: str = ""

    def query(self) -> dict[str, str]:
        """As the page's links carry them."""
        pairs = {
            "gebruiker": self.user,
            "client": self.client,
            "actie": self.action,
            "van": self.since,
            "tot": self.until,
        }
        return {k: v for k, v in pairs.items() if v}


def _filters(request: Request) -> Filters:
    query = request.query_params
    return Filters(
        user=query.get("gebruiker", "").strip()[:100],
        client=query.get("client", "").strip()[:64],
        action=query.get("actie", "").strip()[:40],
        since=query.get("van", "").strip()[:10],
        until=query.get("tot", "").strip()[:10],
    )


def _selection(filters: Filters) -> Select[Any] | str:
    """The entries the filters ask for; a text key when a filter cannot be used."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters.user:
        query = query.where(AuditEntry.actor == filters.user)
    if filters.client:
        # The client's own entries, and listings that showed it (they name it in details).
        # Ids are random (36 characters), so a match inside the details' text is the id.
        query = query.where(
            or_(
                AuditEntry.record_id == filters.client,
                cast(AuditEntry.details, String).contains(filters.client, autoescape=True),
            )
        )
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    since = parse_day(filters.since) if filters.since else None
    until = parse_day(filters.until) if filters.until else None
    if (filters.since and since is None) or (filters.until and until is None):
        return "audit.invalid_date"
    if since and until and until < since:
        return "audit.invalid_period"
    if since:
        query = query.where(AuditEntry.at >= _start_of(since))
    if until:
        query = query.where(AuditEntry.at < _start_of(until + timedelta(days=1)))
    return query


def action_words(action: str, language: str) -> str:
    """An audit action in words: the server's and the console's own acts from the console's
    catalogue, a dossier's as the desktop's history says it ("Ingediend"), the retention's and
    the caseload's as the access report says it; an unknown action as its code."""
    own = TEXT.get(f"audit.action.{action}")
    if own is not None:
        return own[1 if language == "en" else 0]
    if action in ACTION_LABELS:
        return action_label(action, language, done=True)
    # The access report's phrases for these acts do not depend on the record's kind; an
    # action it has no phrase for it names as "<kind>: <code>".
    described = describe_event(action, "client", language=language)
    return action if described.endswith(f": {action}") else described


def entity_words(entity: str, language: str) -> str:
    """A kind of record in words ("Huisbezoek", "Gebruiker"); an unknown kind as its code."""
    own = TEXT.get(f"audit.entity.{entity}")
    if own is not None:
        return own[1 if language == "en" else 0]
    return entity_label(entity, language)


def action_choices(actions: list[str], language: str) -> list[tuple[str, str]]:
    """The filter's choices as (code, words), by their words; two actions with the same words
    (a device's "approve" and the server's "approve_intake") are told apart by their code."""
    words = {action: action_words(action, language) for action in actions}
    seen: dict[str, int] = {}
    for text in words.values():
        seen[text] = seen.get(text, 0) + 1
    choices = [
        (action, f"{text} ({action})" if seen[text] > 1 and text != action else text)
        for action, text in words.items()
    ]
    return sorted(choices, key=lambda choice: (choice[1].casefold(), choice[0]))


def details_text(details: dict[str, Any] | None) -> str:
    """The entry's details in short: values as they are, lists by their length (a listing's
    client ids would fill the page)."""
    parts = []
    for key, value in sorted((details or {}).items()):
        if isinstance(value, list):
            parts.append(f"{key}: {len(value)}")
        elif isinstance(value, dict):
            parts.append(f"{key}: {', '.join(f'{k}={v}' for k, v in sorted(value.items()))}")
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)[:300]


@router.get("/audit")
def audit_log(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    filters = _filters(request)
    language = language_of(request)
    page = page_number(request)
    actions = sorted(
        str(a) for a in session.scalars(select(AuditEntry.action).distinct()) if a is not None
    )
    selection = _selection(filters)
    entries: list[dict[str, Any]] = []
    more = False
    error = None
    if isinstance(selection, str):
        error = selection
    else:
        found = list(session.scalars(selection.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
        more = len(found) > PAGE_SIZE
        entries = [
            {
                "at": moment(entry.at),
                "actor": entry.actor,
                "action": entry.action,
                "action_words": action_words(entry.action, language),
                "entity": entry.entity or "",
                "entity_words": entity_words(entry.entity, language) if entry.entity else "",
                "record_id": entry.record_id or "",
                "device": (entry.device_id or "")[:8],
                "details": details_text(entry.details),
            }
            for entry in found[:PAGE_SIZE]
        ]
    return render(
        request,
        "audit.html",
        status=422 if error else 200,
        admin=admin,
        csrf=admin.csrf,
        filters=filters,
        query=filters.query(),
        actions=action_choices(actions, language),
        entries=entries,
        page=page,
        more=more,
        error=error,
    )
