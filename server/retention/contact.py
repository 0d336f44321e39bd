"""Login and device-contact data past their term (six months in the schedule's `login_data`).

- failed sign-ins (user name, address, time), which the throttle needs for minutes only;
- enrollment codes that expired before the cutoff (whom a code was issued to, and by whom);
- when a device was last seen and last pulled: the field goes back to empty, the device stays
  (a device silent for half a year counts as stale either way);
- the record values in stored push answers: a device replays an answer only for its last batch,
  and a device that has not synced for longer than its 14-day lease cannot be unlocked to push,
  so an answer this old is never needed for its values (its verdict stays).

Counted first with the same conditions the purge then uses, so a dry run says what a run does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from server.models import Device, DeviceMutation, DeviceSync, EnrollmentCode, LoginFailure
from server.retention.scrub import stripped_answer, write_answers


@dataclass(frozen=True, slots=True)
class ContactPlan:
    cutoff: datetime
    login_failures: int
    enrollment_codes: int
    devices_seen: int
    devices_pulled: int
    answers: list[tuple[str, int, dict[str, Any]]]

    def counts(self) -> dict[str, int]:
        return {
            "login_failures": self.login_failures,
            "enrollment_codes": self.enrollment_codes,
            "device_contact_times": self.devices_seen + self.devices_pulled,
            "push_answers_stripped": len(self.answers),
        }


def cutoff_moment(cutoff: date) -> datetime:
    return datetime.combine(cutoff, time.min, tzinfo=UTC)


def _count(session: Session, model: Any, condition: ColumnElement[bool]) -> int:
    return int(
        session.execute(select(func.count()).select_from(model).where(condition)).scalar_one()
    )


def plan_contact_purge(session: Session, *, cutoff: date) -> ContactPlan:
    moment = cutoff_moment(cutoff)
    answers = [
        (str(row.device_id), int(row.seq), stripped)
        for row in session.execute(
            select(DeviceMutation.device_id, DeviceMutation.seq, DeviceMutation.answer).where(
                DeviceMutation.at < moment
            )
        )
        if (stripped := stripped_answer(row.answer)) is not None
    ]
    return ContactPlan(
        cutoff=moment,
        login_failures=_count(session, LoginFailure, LoginFailure.at < moment),
        enrollment_codes=_count(session, EnrollmentCode, EnrollmentCode.expires_at < moment),
        devices_seen=_count(session, Device, Device.last_seen < moment),
        devices_pulled=_count(session, DeviceSync, DeviceSync.last_pull_at < moment),
        answers=answers,
    )


def purge_contact_data(session: Session, plan: ContactPlan) -> None:
    moment = plan.cutoff
    session.execute(delete(LoginFailure).where(LoginFailure.at < moment))
    session.execute(delete(EnrollmentCode).where(EnrollmentCode.expires_at < moment))
    session.execute(update(Device).where(Device.last_seen < moment).values(last_seen=None))
    session.execute(
        update(DeviceSync).where(DeviceSync.last_pull_at < moment).values(last_pull_at=None)
    )
    write_answers(session, plan.answers)
