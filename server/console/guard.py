"""Who is signed in to the console, and whether a form came from one of its pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from server.api.deps import SessionDep
from server.console import sessions
from server.policy import Action, Actor, allowed
from server.security import same


class NeedsSignIn(Exception):
    """No whole session: the visitor is sent to the sign-in page."""


class FormRefused(Exception):
    """A form without the session's CSRF token (or from another site)."""


@dataclass(frozen=True, slots=True)
class Admin:
    found: sessions.Found
    actor: Actor

    @property
    def username(self) -> str:
        return self.actor.username

    @property
    def csrf(self) -> str:
        return self.found.session.csrf_token


def limits(request: Request) -> sessions.Limits:
    settings = request.app.state.settings
    return sessions.Limits(
        idle=timedelta(minutes=settings.console_idle_minutes),
        lifetime=timedelta(hours=settings.console_max_hours),
    )


def current_admin(request: Request, session: SessionDep) -> Admin:
    found = sessions.find(session, request.cookies.get(sessions.COOKIE), limits(request))
    session.commit()  # touched, or an expired one removed
    if found is None or found.session.second_factor_at is None:
        raise NeedsSignIn()
    user = found.user
    actor = Actor(user_id=user.id, username=user.username, role=user.role)
    # The one policy module decides, as for the device API: only administrators administer.
    if not allowed(actor, Action.ADMINISTER):
        raise NeedsSignIn()
    return Admin(found, actor)


CurrentAdmin = Annotated[Admin, Depends(current_admin)]


def same_origin(request: Request) -> bool:
    """A browser names the page a form came from; one from another site is refused even
    before its token is looked at (SameSite=Strict already keeps our cookie from it)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return origin.rstrip("/") == f"{request.url.scheme}://{request.url.netloc}"


async def checked_form(request: Request, admin: CurrentAdmin) -> FormData:
    """The posted form, once its CSRF token is this session's."""
    form = await request.form()
    token = form.get("csrf_token")
    if not same_origin(request) or not isinstance(token, str) or not same(token, admin.csrf):
        raise FormRefused()
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
