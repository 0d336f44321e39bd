from __future__ import annotations

from fastapi import APIRouter, Request

from server.api.deps import SessionDep, SettingsDep
from server.api.routes.common import ERRORS
from server.api.schemas import EnrollRequest, EnrollResponse, ErrorBody
from server.crud.devices import enroll as enroll_device

router = APIRouter(tags=["devices"])


@router.post(
    "/v1/enroll",
    response_model=EnrollResponse,
    status_code=201,
    responses={**ERRORS, 429: {"model": ErrorBody, "description": "Too many failed attempts"}},
)
def enroll(
    body: EnrollRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> EnrollResponse:
    """Exchange user name, password and a one-time enrollment code for a device token.

    Every failure answers 401 `invalid_credentials` alike; 429 `too_many_attempts` with
    Retry-After asks to slow down (per address, and per user name without a valid code)."""
    address = request.client.host if request.client else "unknown"
    enrolled = enroll_device(
        session,
        username=body.username,
        password=body.password,
        code=body.enrollment_code,
        device_name=body.device_name,
        address=address,
        max_failures=settings.login_max_failures,
        window_seconds=settings.login_window_seconds,
        delay_cap_seconds=settings.login_delay_cap_seconds,
    )
    session.commit()
    return EnrollResponse(
        device_id=enrolled.device_id,
        token=enrolled.token,
        username=enrolled.user.username,
        role=enrolled.user.role,
        display_name=enrolled.user.display_name,
    )
