"""会商研判 (004 三(一); 001 一(二)1; 003 二(七)): joint consultation on a major sensitive case.

Each profile names who is called: Nantong's 会商联席会议 (市政府办、网信办、公安局、
监察局、应急办、信访局); Liuzhou's 会商研判 organised by 市人民政府办公室、市互联网
信息办公室、市政务服务监督管理办公室 with the units involved; the national notice
names no members, so its list is a local default, marked so. The consultation's
outcome (研判意见, 预控处置意见) is recorded when it is given.
"""

from domain.messages import RecordConsultation
from domain.notifications import JOINT_CONSULTATION_MEMBERS, NotifyChannel, Recipient
from domain.engine.step import Context, IncidentState, Refusal, Step
from domain.rules_version import rules_of
from domain.status import Consultation


def call_consultation(step: Step, actor: str) -> None:
    """A major case goes to 会商研判, once, with the profile's members."""
    status = step.status
    severity = status.severity.value if status.severity else ""
    if not rules_of(status).consultation_per_profile:  # rules version 1: Nantong's list under every profile, every time
        step.notify("joint_consultation", JOINT_CONSULTATION_MEMBERS,
                    [NotifyChannel.MESSAGE, NotifyChannel.SMS], f"【会商研判】{status.title}",
                    f"重大舆情（{severity}），请会商联席会议成员单位会商研判。")
        step.record(actor, "joint_consultation", "重大舆情：通知会商联席会议成员单位会商研判",
                    rule="004 三(一)")
        return
    if status.consultation is not None:
        return  # already called: a later upgrade does not call it again
    rule = step.state.profile.consultation
    members = [Recipient(recipient_id=rid, name=name) for rid, name in rule.members]
    if rule.with_units:
        members += step.active_unit_recipients()
    names = "、".join(r.name or r.recipient_id for r in members)
    status.consultation = Consultation(
        called_at=step.now, called_by=actor, members=[r.name or r.recipient_id for r in members],
        statutory=rule.statutory, source=rule.source)
    marked = "" if rule.statutory else "（成员为本地默认）"
    step.notify("joint_consultation", members, [NotifyChannel.MESSAGE, NotifyChannel.SMS],
                f"【会商研判】{status.title}",
                f"重大敏感政务舆情（{severity}），请对事件性质、舆情走势、可能出现的风险"
                "会商研判，提出预控处置意见。")
    step.record(actor, "joint_consultation", f"重大舆情：通知会商研判 {names}{marked}",
                rule=rule.source, local_default=not rule.statutory)


def check_record_consultation(state: IncidentState, message: RecordConsultation,
                              ctx: Context) -> None:
    if state.status.consultation is None:
        raise Refusal("本事件未启动会商研判，请先研判为重大舆情 (no consultation was called)")


def apply_record_consultation(step: Step, message: RecordConsultation) -> None:
    consultation = step.status.consultation
    assert consultation is not None  # checked
    again = consultation.concluded_at is not None
    consultation.assessment, consultation.measures = message.assessment, message.measures
    consultation.concluded_at, consultation.concluded_by = step.now, message.actor
    step.record(message.actor, "record_consultation",
                f"会商研判意见{'（更新）' if again else ''}：{message.assessment}；"
                f"预控处置意见：{message.measures}", rule=consultation.source)
    step.notify_active_units("consultation_outcome", "会商研判意见",
                             f"{message.assessment}\n预控处置意见：{message.measures}")
