"""Structured (JSON) logs. They name routes, codes, ids and timings, never field values, names or
BSNs: a request is logged by its route template ("/v1/clients/{client_id}"), not its raw path."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

LOGGER = logging.getLogger("veldwerk.server")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            # The type only: a traceback's text and an exception's message can quote the data
            # (a BSN, a name) that caused it.
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(level.upper())
    LOGGER.propagate = False


def uvicorn_log_config(level: str = "WARNING") -> dict[str, Any]:
    """uvicorn's own loggers, Python warnings and any other library's records (through the root
    logger) as JSON lines on stderr, like ours: no line of raw text or traceback."""
    logger = {"handlers": ["json"], "level": level.upper(), "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": logger,
            "uvicorn.error": logger,
            "uvicorn.access": logger,
            "py.warnings": logger,
        },
        "root": {"handlers": ["json"], "level": "WARNING"},
    }


def log(event: str, level: int = logging.INFO, **fields: Any) -> None:
    LOGGER.log(level, event, extra={"fields": fields})
