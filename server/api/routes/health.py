from __future__ import annotations

from fastapi import APIRouter

from server.api.schemas import Health
from server.version import VERSION

router = APIRouter(tags=["health"])


@router.get("/v1/health", response_model=Health)
def health() -> Health:
    return Health(status="ok", version=VERSION)
