"""Drive the procedure core directly: no server, no workflow, just state, message and time.

``reported`` opens an incident the way the workflow does (``collection.open_incident``);
``send`` applies one message through the registry at a moment given as hours after
detection; ``refused`` expects a refusal and returns its reason; ``expire`` fires a
window's timer; ``grace_ends`` ends a grace period. Every step returns its effects.
"""

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from domain.messages import IncidentStart
from domain.procedure import collection, escalation
from domain.engine import registry
from domain.engine.step import (
    WaitFor, Context, Deliver, StopWaiting, Effect, GraceOver, IncidentState, Refusal,
    StartGrace,
)
from domain.profiles import LocalDefaults, WindowId
from domain.status import Window

DETECTED = datetime(2026, 11, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))
ACTOR = "网信办 测试员"


def at(hours: float = 0) -> datetime:
    """``hours`` after first detection."""
    return DETECTED + timedelta(hours=hours)


def unit(unit_id: str, lead: bool = False, name: str = "") -> dict:
    return {"unit_id": unit_id, "name": name or f"单位{unit_id}", "lead": lead}


def start(profile: str = "nantong-2017", category: str | None = "R2",
          severity: str | None = "一般", units: tuple[str, ...] = ("u1",), *,
          analysed: bool = True, rules_version: int | None = None,
          **analysis: Any) -> IncidentStart:
    """The contract's start payload; the first unit leads. ``analysed=False`` omits 研判."""
    payload: dict[str, Any] = {"rules_version": rules_version,
        "incident_id": "NT-1", "profile": profile, "title": "某小区电梯频繁故障",
        "report": {"platform": "人民网地方领导留言板", "url": "https://example.org/t/1",
                   "content": "网民反映", "region": "崇川区", "detected_at": DETECTED.isoformat()},
        "actor": "网信办监测平台", "local_defaults": LocalDefaults().model_dump()}
    if analysed:
        payload["analysis"] = {"category": category, "severity": severity,
                               "units": [unit(u, lead=i == 0) for i, u in enumerate(units)],
                               **analysis}
    return IncidentStart.model_validate(payload)


def reported(*args: Any, hours: float = 0, patched: bool = True,
             **kwargs: Any) -> tuple[IncidentState, list[Effect]]:
    """An incident opened ``hours`` after detection (analysed unless ``analysed=False``)."""
    opening = start(*args, **kwargs)
    state = collection.new_incident(opening)
    return state, collection.open_incident(state, opening, context(hours, patched))


def late_analysis(hours: float = 50, **analysis: Any) -> tuple[IncidentState, list[Effect]]:
    """Rules version 3: reported unanalysed, then analysed ``hours`` after detection, one unit."""
    state, _ = reported(analysed=False, rules_version=3)
    effects = send(state, "analyze", hours, category="R2", severity="一般",
                   units=[{"unit_id": "u1", "name": "住建局", "lead": True}], **analysis)
    return state, effects


def context(hours: float, patched: bool = True) -> Context:
    return Context(now=at(hours), patched=lambda _: patched)


def send(state: IncidentState, name: str, hours: float, *, patched: bool = True,
         **fields: Any) -> list[Effect]:
    """One well-formed message (``actor`` filled in) accepted at ``hours``."""
    return registry.take(state, name, ({"actor": ACTOR, **fields},), context(hours, patched))


def refused(state: IncidentState, name: str, hours: float, **fields: Any) -> str:
    """The reason ``name`` is refused at ``hours``; the state must not change."""
    before = state.model_copy(deep=True)
    with pytest.raises(Refusal) as refusal:
        registry.take(state, name, ({"actor": ACTOR, **fields},), context(hours))
    assert state == before, "a refused message changed the incident"
    return refusal.value.reason


def window(state: IncidentState, window_id: str, unit_id: str | None = None,
           seq: int = 1) -> Window | None:
    return next((w for w in state.status.windows
                 if w.key == (WindowId(window_id), unit_id, seq)), None)


def expire(state: IncidentState, window_id: str, unit_id: str | None = None,
           seq: int = 1) -> list[Effect] | None:
    """The window's timer fires at its deadline."""
    found = window(state, window_id, unit_id, seq)
    ctx = Context(now=found.deadline)
    return escalation.deadline_passed(state, found.key, found.deadline, ctx)


def grace_ends(state: IncidentState, effect: StartGrace, hours: float) -> list[Effect] | None:
    return escalation.grace_over(state, effect.then, context(hours))


def timeline(state: IncidentState, action: str, rule: str | None = None) -> list:
    return [t for t in state.status.timeline
            if t.action == action and (rule is None or t.rule == rule)]


def armed(effects: list[Effect]) -> list[tuple[str, str | None, int]]:
    """Windows whose timers the step (re)arms, as (id, unit, seq)."""
    return [(e.window[0].value, e.window[1], e.window[2]) for e in effects
            if isinstance(e, WaitFor)]


def disarmed(effects: list[Effect]) -> list[tuple[str, str | None, int]]:
    return [(e.window[0].value, e.window[1], e.window[2]) for e in effects
            if isinstance(e, StopWaiting)]


def deliveries(effects: list[Effect], kind: str | None = None) -> list:
    """Payloads delivered; ``kind`` filters notifications by kind (urge, supervise, …)."""
    payloads = [e.payload for e in effects if isinstance(e, Deliver)]
    return [p for p in payloads if kind is None or getattr(p, "kind", None) == kind]


def graces(effects: list[Effect]) -> list[StartGrace]:
    return [e for e in effects if isinstance(e, StartGrace)]


__all__ = ["DETECTED", "ACTOR", "GraceOver", "at", "unit", "start", "reported", "late_analysis",
           "context", "send", "refused", "window", "expire", "grace_ends", "timeline", "armed",
           "disarmed", "deliveries", "graces"]


# ---------------------------------------------------------------- added helpers

def shown(state: IncidentState):
    """The status as the workflow publishes it after a step: stage, next deadline, overdue
    derived (``standing.refresh``), as ``status`` and the search attributes show them."""
    from domain.engine.standing import refresh
    refresh(state.status)
    return state.status


def forms(effects: list[Effect]) -> list:
    """The 交办单 (``AssignmentForm``) a step delivers, in order."""
    from domain.notifications import AssignmentForm
    return [p for p in deliveries(effects) if isinstance(p, AssignmentForm)]
