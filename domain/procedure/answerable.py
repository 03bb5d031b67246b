"""Who answers for what (SPEC §4 A-HOLD, A-LOCAL; §7): the units a rung names, and its marks."""

from domain.engine.step import IncidentState, Step
from domain.rules_version import rules_of
from domain.status import Assignment, Window

LOCAL_MARK = "（本地默认，非法定）"


def local_step(step: Step, missed: Window | None = None) -> bool:
    """A-LOCAL: a rung set off by a local-default window, or 004's ladder under another profile."""
    if not rules_of(step.status).marks_each_local_default:
        return False
    return not step.state.profile.procedure_statutory or (missed is not None
                                                          and not missed.statutory)


def single(step: Step, units: list[Assignment]) -> str | None:
    """The unit a timeline entry is about, where the rules name it and it is one."""
    named = rules_of(step.status).named_escalation
    return units[0].unit_id if named and len(units) == 1 else None


def units_owing(state: IncidentState, *, urged: bool) -> list[Assignment]:
    """Active units still owing an unresolved 不回应 / 不反馈 miss (``urged``: and urged for it)."""
    status, climbing = state.status, state.climbing
    late = {o for w in status.windows if w.unresolved_miss and w.id in climbing
            for o in w.owed_by}
    return [a for a in status.active_assignments
            if a.unit_id in late and (not urged or a.urged_at is not None)]


def names(units: list[Assignment]) -> str:
    return "、".join(a.name or a.unit_id for a in units)
