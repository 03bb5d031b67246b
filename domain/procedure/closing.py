"""Closing: 办结 and 撤销, the key-response rule, and the rumour transfer.

An incident that meets a key-response criterion (C-K1…K5, 000 二) or is a
rumour (C-X) cannot end without a public response. A rumour is also
transferred, with its leads, to public security and the network regulator.
"""

from domain.classification import KEY_CRITERION_LABELS
from domain.messages import TransferToPolice, Withdraw
from domain.notifications import RumourTransfer
from domain.presentation import local_time
from domain.engine.deadlines import reconcile
from domain.engine.step import SYSTEM_ACTOR, CancelGraces, Context, IncidentState, Refusal, Step
from domain.profiles import RESPONSE_WINDOWS, WindowId  # closing discharges none (SPEC §4)
from domain.rules_version import rules_of
from domain.status import IncidentStatus, Stage, WindowState


def require_response(status: IncidentStatus, action: str) -> None:
    """C-K / C-X: an incident that must be responded to cannot end without a response."""
    if status.responses:
        return
    reasons = [f"C-{k.value} {KEY_CRITERION_LABELS[k]}" for k in status.key_criteria]
    if status.rumour:
        reasons.append("C-X 造谣传谣须及时回应")
    if reasons:
        raise Refusal(f"重点回应舆情尚未回应，不能{action}（{'；'.join(reasons)}）")


def close(step: Step, stage: Stage, actor: str, reason: str) -> None:
    """The incident ends: open windows lapse and no grace period escalates it any more."""
    rules = rules_of(step.status)
    if stage == Stage.CLOSED and rules.close_misses_pending:
        _close_pending_windows(step)
    elif stage == Stage.CLOSED and rules.close_misses_unanswered:
        _close_unanswered_windows(step)
    step.status.stage = stage
    step.status.closed_at = step.now
    reconcile(step, f"事件{stage.label}")
    step.effects.append(CancelGraces())
    step.record(actor, stage.value, f"事件{stage.label}：{reason}")


def _close_unanswered_windows(step: Step) -> None:
    """办结 without any public response: the response windows end missed, never not applicable."""
    if step.status.responses:
        return  # answered: what is still pending (a later cycle, a conference) lapses with the case
    for window in step.status.windows:
        if window.id in RESPONSE_WINDOWS and window.state == WindowState.PENDING:
            window.state, window.note = WindowState.MISSED, "办结时仍未回应"
            step.stop_waiting(window)
            step.record(SYSTEM_ACTOR, "window_missed",
                        f"{window.id.value}「{window.label}」办结时仍未回应，记为超期"
                        f"（截止 {local_time(window.deadline)}）", rule=window.id.value)


UNDONE = {WindowId.FACTS: "发布", WindowId.AUTH: "发布", WindowId.PRESS: "召开",
          WindowId.RESP: "回应"}


def _close_pending_windows(step: Step) -> None:
    """办结 discharges no statutory window: each still pending ends missed (SPEC §4, closing)."""
    for window in step.status.windows:
        if window.id in RESPONSE_WINDOWS and window.state == WindowState.PENDING:
            undone = f"办结时仍未{UNDONE[window.id]}"
            window.state, window.note = WindowState.MISSED, undone
            step.stop_waiting(window)
            unit = f"{window.unit_id} " if window.unit_id else ""
            step.record(SYSTEM_ACTOR, "window_missed",
                        f"{unit}{window.id.value}「{window.label}」{undone}，记为超期"
                        f"（截止 {local_time(window.deadline)}）", rule=window.id.value,
                        unit_id=window.unit_id, local_default=not window.statutory)


def transfer_rumour(step: Step, actor: str, reason: str) -> None:
    """C-X: the case and its leads go to 公安机关 and 网络监管部门 (000 二)."""
    status = step.status
    status.rumour_transferred_at = step.now
    transfer = RumourTransfer(
        key=f"{status.incident_id}:rumour-transfer", incident_id=status.incident_id,
        title=status.title, reason=reason, actor=actor,
        leads=[f"{r.platform} {r.url} {r.content}".strip() for r in status.reports])
    step.record(actor, "transfer_to_police", f"移交公安机关、网络监管部门：{reason}", rule="C-X")
    step.deliver(transfer, "移交公安、网络监管部门")


def check_transfer_to_police(state: IncidentState, message: TransferToPolice,
                             ctx: Context) -> None:
    if state.status.rumour_transferred_at is not None:
        raise Refusal(f"已于 {local_time(state.status.rumour_transferred_at)} 移交，无需重复移交")


def apply_transfer_to_police(step: Step, message: TransferToPolice) -> None:
    transfer_rumour(step, message.actor, message.reason)


def check_withdraw(state: IncidentState, message: Withdraw, ctx: Context) -> None:
    require_response(state.status, "撤销")


def apply_withdraw(step: Step, message: Withdraw) -> None:
    step.record(message.actor, "withdraw", f"撤销：{message.reason}")
    step.notify_active_units("withdraw", "撤销", message.reason)
    close(step, Stage.WITHDRAWN, message.actor, message.reason)
