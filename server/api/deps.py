"""Request dependencies: a database session and the authenticated actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from server.config import Settings
from server.crud.devices import authenticate
from server.errors import ApiError, forbidden
from server.policy import Action, Actor, allowed

_bearer = HTTPBearer(auto_error=False, description="The device token from /v1/enroll.")


def get_session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_actor(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(
            401,
            "missing_token",
            "This call needs a device token (Authorization: Bearer ...).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Outside a transaction: one statement (and at most once a minute a write of last_seen)
    # needs no BEGIN and COMMIT, two of the round trips every request waited for. The request's
    # own work begins a transaction of its own after this.
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    actor = authenticate(session, credentials.credentials)
    session.commit()  # last_seen
    request.state.device_id = actor.device_id
    return actor


CurrentActor = Annotated[Actor, Depends(get_actor)]


def get_admin(actor: CurrentActor) -> Actor:
    if not allowed(actor, Action.ADMINISTER):
        raise forbidden()
    return actor


AdminActor = Annotated[Actor, Depends(get_admin)]
