"""收集 (004 二(一)): an incident opens with its first report; later reports merge into it."""

from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from domain.limits import MAX_LOOKBACK, MAX_REPORTS_KEPT
from domain.messages import AddReport, Analyze, IncidentStart
from domain.presentation import describe_validation_error
from domain.procedure import analysis
from domain.engine.deadlines import reconcile
from domain.engine.step import Context, Effect, IncidentState, Refusal, Step, record_refusal
from domain.roster import sealed_principal
from domain.rules_version import (
    FAITHFUL_RULES, FAITHFUL_RULES_PATCH, FIRST_RULES, rules_for, rules_of,
)
from domain.status import IncidentStatus

CLOCK_SKEW = timedelta(minutes=5)  # a monitoring system's clock may run a little ahead


def validate_start(payload: Any) -> IncidentStart:
    """The start payload, or a refusal naming each problem (the incident is not opened)."""
    payload, _ = sealed_principal(payload)  # the start is the starter's; its seal aside
    try:
        return IncidentStart.model_validate(payload)
    except ValidationError as error:
        raise Refusal(f"报送内容无效，未能立案 (invalid incident start): "
                      f"{describe_validation_error(error)}") from None


def new_incident(start: IncidentStart) -> IncidentState:
    """Not yet opened; it runs under the profile its start names, looked up by that name."""
    return IncidentState(status=IncidentStatus(
        incident_id=start.incident_id, profile=start.profile, title=start.title,
        reports=[start.report], local_defaults=start.local_defaults, roster=start.roster))


def open_incident(state: IncidentState, start: IncidentStart, ctx: Context) -> list[Effect]:
    """Record the first report and apply a 研判 sent with it; else wait in 研判 (W-ANALYZE)."""
    # Decided once, here: the incident keeps these rules to its end (domain.rules_version).
    # The starter names the current version in the start, which costs no marker; a start
    # without it (older starters, recorded histories) is decided by the marker.
    if start.rules_version is not None:
        state.status.rules_version = start.rules_version
    else:
        state.status.rules_version = (FAITHFUL_RULES if ctx.patched(FAITHFUL_RULES_PATCH)
                                      else FIRST_RULES)
    if ctx.local_overrides:  # a what-if replay under other local defaults
        rules = rules_for(state.status.rules_version).with_overrides(**ctx.local_overrides)
        state.status.local_defaults = rules.local_defaults(state.status.local_defaults)
    step = Step(state, ctx)
    report = start.report
    step.record(start.actor, "report", f"上报：{report.platform} {report.url}".strip())
    if start.analysis is not None:
        message = Analyze(actor=start.actor, **start.analysis.model_dump(exclude_none=True))
        try:
            analysis.check_analyze(state, message, ctx)
            analysis.apply_analyze(step, message)
            return step.effects
        except Refusal as refusal:
            record_refusal(state, "analyze", f"随报送附带的研判未被采纳：{refusal.reason}",
                           start.actor, ctx.now)
    reconcile(step, "待研判")
    return step.effects


def check_add_report(state: IncidentState, message: AddReport, ctx: Context) -> None:
    if message.report.detected_at > ctx.now + CLOCK_SKEW:
        raise Refusal("detected_at 晚于当前时间 (detected_at is in the future)")
    if message.report.detected_at < ctx.now - MAX_LOOKBACK:
        raise Refusal(f"detected_at 早于一年前 (more than {MAX_LOOKBACK.days} days ago)")


def apply_add_report(step: Step, message: AddReport) -> None:
    """A new item joins the incident (its first detection may move earlier); a repeat merges."""
    report = message.report
    same = next((r for r in step.status.reports if r.same_item(report)), None)
    if same is not None:
        if rules_of(step.status).earlier_detection_moves_clock and report.detected_at < same.detected_at:
            same.detected_at = report.detected_at  # seen earlier than first reported
            step.record(message.actor, "add_report",
                        f"重复报送，已合并；首次发现时间提前至 {report.detected_at.isoformat()}")
            reconcile(step, "首次发现时间提前")
            return
        if same.detected_at != report.detected_at:
            step.record(message.actor, "add_report",
                        f"重复报送，已合并：{report.platform} {report.url}".strip())
        return  # the very same item again: nothing new to record
    if len(step.status.reports) >= MAX_REPORTS_KEPT:
        # Counted, not listed: a flood of reports cannot grow the status without end.
        step.status.reports_not_listed += 1
        if (rules_of(step.status).earlier_detection_moves_clock
                and report.detected_at < step.status.first_detected_at):
            # The earliest detection still wins: it takes the newest listed report's place.
            step.status.reports[-1] = report
            step.record(message.actor, "add_report",
                        f"新增舆情信息（首次发现时间提前至 {report.detected_at.isoformat()}）："
                        f"{report.platform} {report.url}".strip())
            reconcile(step, "新增舆情信息，首次发现时间提前")
        return
    step.status.reports.append(report)
    step.record(message.actor, "add_report",
                f"新增舆情信息：{report.platform} {report.url}（{report.region}）".strip())
    reconcile(step, "新增舆情信息，首次发现时间更新")
