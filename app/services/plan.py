"""The client plan of one client, as the Plan tab shows it, and every change made there.

Plain functions over a `Store`, no Qt. A draft is edited field by field (saved as you type);
its actions are records of their own. The first signature fixes the content (its hash goes with
the signature); when both parties have signed, the version becomes the active plan and the one it
replaces is closed, in the same transaction. A change to a signed or active plan is a new
version: `start_plan` copies the newest version's content and its open actions into a draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from app.domain.client import Client
from app.domain.errors import DomainError
from app.domain.local_time import local_today
from app.domain.plan import (
    CONTENT_FIELDS,
    ActionOwner,
    ClientPlan,
    PlanAction,
    PlanChange,
    Signature,
    SignerRole,
    content_hash,
    ordered,
    plan_changes,
)
from app.domain.reference import default_consequences, letterhead_municipality
from app.domain.states import ActionStatus, PlanStatus
from app.storage.store import Dossier, RecordNotFound, Store, Transaction

__all__ = [
    "PlanVersion",
    "PlanView",
    "add_action",
    "move_action",
    "plan_view",
    "remove_action",
    "save_action",
    "save_plan",
    "sign_plan",
    "start_plan",
]

_ACTION_CONTENT = frozenset({"description", "owner", "partner", "due_date"})


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """One version of the plan with its actions and what changed since the version before."""

    plan: ClientPlan
    actions: tuple[PlanAction, ...]
    changes: tuple[PlanChange, ...] = ()

    @property
    def content_hash(self) -> str:
        """The hash of the content as it is now: the one its signatures carry when signed."""
        return self.plan.content_hash or content_hash(self.plan, self.actions)


@dataclass(frozen=True, slots=True)
class PlanView:
    client: Client
    today: date
    versions: tuple[PlanVersion, ...]  # oldest first

    @property
    def current(self) -> PlanVersion | None:
        """The version being worked on: a draft when there is one, else the active plan, else
        the newest."""
        for status in (PlanStatus.DRAFT, PlanStatus.ACTIVE):
            found = [v for v in self.versions if v.plan.status is status]
            if found:
                return found[-1]
        return self.versions[-1] if self.versions else None

    @property
    def active(self) -> PlanVersion | None:
        found = [v for v in self.versions if v.plan.status is PlanStatus.ACTIVE]
        return found[-1] if found else None

    def version(self, plan_id: str) -> PlanVersion | None:
        return next((v for v in self.versions if v.plan.id == plan_id), None)

    @property
    def can_start_version(self) -> bool:
        """Whether a new version can be made: no draft is open yet."""
        return not any(v.plan.status is PlanStatus.DRAFT for v in self.versions)


def _versions(dossier: Dossier) -> tuple[PlanVersion, ...]:
    by_plan: dict[str, list[PlanAction]] = {}
    for action in dossier.plan_actions:
        by_plan.setdefault(action.plan_id, []).append(action)
    plans = sorted(dossier.plans, key=lambda p: (p.revision, p.id))
    known = {p.id: p for p in plans}
    versions = []
    for plan in plans:
        actions = ordered(by_plan.get(plan.id, ()))
        before = known.get(plan.previous_id or "")
        changes = (
            plan_changes(before, ordered(by_plan.get(before.id, ())), plan, actions)
            if before is not None
            else ()
        )
        versions.append(PlanVersion(plan, actions, changes))
    return tuple(versions)


def view_of(dossier: Dossier, *, today: date) -> PlanView:
    return PlanView(client=dossier.client, today=today, versions=_versions(dossier))


def plan_view(store: Store, client_id: str, *, today: date | None = None) -> PlanView:
    """Read a client's plans (not audited as an opening: the dossier's opening was)."""
    return view_of(store.read_dossier(client_id), today=today or local_today())


# ------------------------------------------------------------------------------ versions


def _plan(tx: Transaction, plan_id: str) -> ClientPlan:
    found = tx.get(ClientPlan, plan_id)
    if found is None:
        raise RecordNotFound(ClientPlan.ENTITY)
    return found


def _actions_of(tx: Transaction, plan: ClientPlan) -> list[PlanAction]:
    return [a for a in tx.for_client(PlanAction, plan.client_id) if a.plan_id == plan.id]


def start_plan(
    store: Store, *, client_id: str, caseworker: str, today: date | None = None
) -> ClientPlan:
    """A new draft: the first plan of the client, or a new version of the newest one with its
    content and its open actions. Refused while a draft is open (there is one to work on)."""
    day = today or local_today()
    with store.transaction() as tx:
        client = tx.get(Client, client_id)
        if client is None:
            raise RecordNotFound(Client.ENTITY)
        plans = sorted(tx.for_client(ClientPlan, client_id), key=lambda p: p.revision)
        if any(p.status is PlanStatus.DRAFT for p in plans):
            raise DomainError(
                "plan_draft_open",
                "Er is al een conceptversie van het plan; werk die bij.",
                "There already is a draft version of the plan; work on that one.",
            )
        municipality = letterhead_municipality(client.address.village, day)
        if not plans:
            draft = ClientPlan(
                client_id=client_id,
                caseworker=caseworker,
                municipality=municipality,
                consequences=default_consequences(),
            )
            tx.create(draft)
            return draft
        newest = plans[-1]
        draft = replace(newest.next_revision(), municipality=municipality, caseworker=caseworker)
        tx.create(draft)
        carried = [
            replace(a.copied_to(draft.id), status=ActionStatus.OPEN)
            for a in ordered(_actions_of(tx, newest))
            if a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        ]
        tx.create_many([replace(a, rank=rank) for rank, a in enumerate(carried)])
        return draft


def save_plan(store: Store, *, plan_id: str, values: Mapping[str, Any]) -> ClientPlan:
    """Save some content fields of a draft; only what changed is journalled."""
    unknown = set(values) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not plan content: {sorted(unknown)}")
    with store.transaction() as tx:
        return tx.update(_plan(tx, plan_id).edited(**values))


# ------------------------------------------------------------------------------ actions


def _action(tx: Transaction, action_id: str) -> PlanAction:
    found = tx.get(PlanAction, action_id)
    if found is None:
        raise RecordNotFound(PlanAction.ENTITY)
    return found


def _ensure_content_editable(plan: ClientPlan) -> None:
    if not plan.editable:
        plan.edited()  # raises the domain's own reason (active, closed or signed)


def add_action(
    store: Store,
    *,
    plan_id: str,
    description: str,
    owner: ActionOwner = ActionOwner.CLIENT,
    partner: str = "",
    due_date: date | None = None,
) -> PlanAction:
    with store.transaction() as tx:
        plan = _plan(tx, plan_id)
        _ensure_content_editable(plan)
        ranks = [a.rank for a in _actions_of(tx, plan)]
        action = PlanAction(
            client_id=plan.client_id,
            plan_id=plan.id,
            description=description.strip(),
            owner=owner,
            partner=partner.strip() if owner is ActionOwner.PARTNER else "",
            due_date=due_date,
            rank=max(ranks, default=-1) + 1,
        )
        return tx.create(action)


def save_action(store: Store, *, action_id: str, values: Mapping[str, Any]) -> PlanAction:
    """Change an action: what, who and when in a draft; its status in a draft or an active plan
    (progress is not part of what was signed)."""
    with store.transaction() as tx:
        action = _action(tx, action_id)
        plan = _plan(tx, action.plan_id)
        if set(values) & _ACTION_CONTENT or plan.status is not PlanStatus.ACTIVE:
            _ensure_content_editable(plan)
        changed = action
        if "status" in values:
            changed = changed.moved_to(ActionStatus(values["status"]))
        content = {k: v for k, v in values.items() if k in _ACTION_CONTENT}
        if "owner" in content:
            content["owner"] = ActionOwner(content["owner"])
            if content["owner"] is not ActionOwner.PARTNER:
                content["partner"] = ""
        changed = replace(changed, **content)
        return tx.update(changed)


def move_action(store: Store, *, action_id: str, offset: int) -> tuple[PlanAction, ...]:
    """Move an action up (negative) or down the plan's list; the ranks of the actions that
    change place are written, nothing else."""
    with store.transaction() as tx:
        action = _action(tx, action_id)
        plan = _plan(tx, action.plan_id)
        _ensure_content_editable(plan)
        actions = list(ordered(_actions_of(tx, plan)))
        index = next(i for i, a in enumerate(actions) if a.id == action_id)
        target = max(0, min(len(actions) - 1, index + offset))
        actions.insert(target, actions.pop(index))
        for rank, item in enumerate(actions):
            if item.rank != rank:
                tx.update(replace(item, rank=rank))
        return tuple(replace(a, rank=rank) for rank, a in enumerate(actions))


def remove_action(store: Store, *, action_id: str) -> None:
    with store.transaction() as tx:
        action = _action(tx, action_id)
        _ensure_content_editable(_plan(tx, action.plan_id))
        tx.delete(PlanAction, action_id)


# ------------------------------------------------------------------------------ signing


def sign_plan(
    store: Store,
    *,
    plan_id: str,
    role: SignerRole,
    signature: Signature,
    at: datetime | None = None,
) -> ClientPlan:
    """One party signs this version. When both have, it becomes the active plan and the active
    plan it replaces is closed: all in one transaction, each a command the server checks again
    (the server recomputes the content hash from what it holds)."""
    now = at or datetime.now(UTC)
    with store.transaction() as tx:
        before = _plan(tx, plan_id)
        content = content_hash(before, _actions_of(tx, before))
        signed = before.sign(role, signature, content=content)
        stored = (
            signed.client_signature if role is SignerRole.CLIENT else signed.caseworker_signature
        )
        assert stored is not None
        tx.command(before, signed, command="sign", role=role.value, signature=stored.to_json())
        if not signed.fully_signed:
            return signed
        active = signed.activate(at=now)
        for other in tx.for_client(ClientPlan, signed.client_id):
            if other.id != signed.id and other.status is PlanStatus.ACTIVE:
                tx.command(other, other.close(at=now), command="close")
        tx.command(signed, active, command="activate")
        return active
