"""What the workflow asks the outside world to do (activity inputs and results)."""

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, Field

from domain.labelled import LabelledEnum
from domain.presentation import local_time


class NotifyChannel(str, Enum):
    PHONE = "phone"  # 电话
    SMS = "sms"  # 短信
    MESSAGE = "message"  # 系统消息


class Recipient(BaseModel):
    recipient_id: str
    name: str = ""


JOINT_CONSULTATION_MEMBERS = [
    Recipient(recipient_id=rid, name=name)
    for rid, name in [
        ("gov-office", "市政府办公室"), ("cac", "市网信办"), ("police", "市公安局"),
        ("supervision-bureau", "市监察局"), ("emergency-office", "市应急办"),
        ("petitions-bureau", "市信访局"),
    ]
]  # 会商联席会议成员 (004 三(一))
CYBERSPACE_OFFICE = Recipient(recipient_id="cac", name="网信办")  # analyses and assigns
SUPERVISION_OFFICE = Recipient(recipient_id="inspection-office", name="市政府督查室")
SUPERVISORY_ORGAN = Recipient(recipient_id="supervisory-organ", name="监察机关")
RUMOUR_RECEIVERS = [
    Recipient(recipient_id="police", name="公安机关"),
    Recipient(recipient_id="network-regulator", name="网络监管部门"),
]


class Notification(BaseModel):
    """One message to one or more recipients, by one or more channels.

    ``key`` makes delivery idempotent: a retried activity finds its earlier
    delivery and does not send twice.
    """

    key: str
    incident_id: str
    kind: str = Field(description="urge / supervise / accountability / leader_instruction …")
    recipients: list[Recipient]
    channels: list[NotifyChannel] = [NotifyChannel.MESSAGE]
    subject: str
    body: str


class AssignmentForm(BaseModel):
    """《网络政务舆情处置交办单》 as issued to one unit."""

    form_id: str
    incident_id: str
    title: str
    unit: Recipient
    lead: bool
    category: str
    category_label: str
    severity: str
    reply_form: str | None = Field(description="答复形式")
    reply_form_default: bool = Field(False, description="答复形式为本地默认（交办时未指定）")
    handling_deadline: datetime = Field(description="答复时间（办理时限）")
    response_deadline: datetime | None = Field(None, description="答复时间：回应期限（规则版本 3）")
    response_deadline_local_default: bool = Field(False, description="回应期限为本地默认")
    handling_deadline_local_default: bool = Field(False, description="办理时限为本地默认（规则版本 3）")
    ack_deadline: datetime
    reports: list[str]
    emergency: bool = Field(description="紧急交办：已先电话通知，本单为补充填报")
    issued_by: str


class RumourTransfer(BaseModel):
    """移交公安机关、网络监管部门 (000 二)."""

    key: str
    incident_id: str
    title: str
    reason: str
    receivers: list[Recipient] = Field(default_factory=lambda: list(RUMOUR_RECEIVERS))
    leads: list[str] = Field(description="有关情况和线索：舆情链接与内容")
    actor: str


class NoticeKind(LabelledEnum):
    """What a notice is, as the people receiving it call it."""

    ASSIGNMENT_FORM = "assignment_form", "交办单"
    EMERGENCY_CALL = "emergency_call", "紧急电话通知"
    LEADERS_REPORT = "leaders_report", "领导报告"
    REMINDER = "reminder", "催办"
    SUPERVISION = "supervision", "督办"
    TRANSFER = "transfer", "移交"
    BULLETIN = "bulletin", "通报"
    CONSULTATION = "consultation", "会商通知"
    DELIVERY_ALERT = "delivery_alert", "未送达提醒"
    NOTICE = "notice", "通知"


class Urgency(LabelledEnum):
    """紧急 notices go to every channel a recipient has; 一般 ones to the first that takes them."""

    EMERGENCY = "emergency", "紧急"
    ROUTINE = "routine", "一般"


_KINDS = {"emergency_assignment": NoticeKind.EMERGENCY_CALL,
          "report_to_leaders": NoticeKind.LEADERS_REPORT, "reminder": NoticeKind.REMINDER,
          "urge": NoticeKind.REMINDER, "supervise": NoticeKind.SUPERVISION,
          "bulletin": NoticeKind.BULLETIN, "delivery_alert": NoticeKind.DELIVERY_ALERT,
          "joint_consultation": NoticeKind.CONSULTATION}


def notice_kind(payload: "Notification | AssignmentForm | RumourTransfer") -> NoticeKind:
    if isinstance(payload, AssignmentForm):
        return NoticeKind.ASSIGNMENT_FORM
    if isinstance(payload, RumourTransfer):
        return NoticeKind.TRANSFER
    return _KINDS.get(payload.kind, NoticeKind.NOTICE)


def urgency(payload: "Notification | AssignmentForm | RumourTransfer") -> Urgency:
    """Emergency where the procedure asks for a phone call (紧急交办, 领导汇报, 催办, 督办) or
    for an emergency 交办单: the procedure's own say, never the sender's."""
    if isinstance(payload, AssignmentForm):
        return Urgency.EMERGENCY if payload.emergency else Urgency.ROUTINE
    if isinstance(payload, Notification) and NotifyChannel.PHONE in payload.channels:
        return Urgency.EMERGENCY
    return Urgency.ROUTINE


class Outcome(LabelledEnum):
    """What one channel answered for one recipient (回执)."""

    SENT = "sent", "已送达"
    RECORDED = "recorded", "已存入发件箱"  # no channel configured: the outbox is the record
    REFUSED = "refused", "被拒收"
    TIMED_OUT = "timed_out", "超时"
    UNREACHABLE = "unreachable", "无法连接"
    UNCONFIRMED = "unconfirmed", "未确认"  # interrupted mid-call on a channel without a key

    @property
    def reached(self) -> bool:
        return self in (Outcome.SENT, Outcome.RECORDED)


class Attempt(BaseModel):
    """One channel's try at one recipient."""

    recipient_id: str
    recipient: str = Field(description="收件单位或机关名称")
    channel: str = Field(description="渠道名（部署配置）")
    channel_label: str = Field(description="企业微信、钉钉、电子邮件、短信 …")
    outcome: Outcome
    at: datetime
    detail: str = ""


class Delivery(BaseModel):
    """What became of a notice: its outbox record and every channel's answer."""

    key: str
    channels: list[str]
    location: str
    delivered_at: datetime
    already_delivered: bool = False
    notice: NoticeKind | None = None
    urgency: Urgency | None = None
    attempts: list[Attempt] = []
    delivered: bool | None = Field(None, description="每个收件方都至少经一个渠道送达（空：旧结果）")


Notice = Notification | AssignmentForm | RumourTransfer


def recipients_of(payload: Notice) -> list[Recipient]:
    if isinstance(payload, AssignmentForm):
        return [payload.unit]
    if isinstance(payload, RumourTransfer):
        return payload.receivers
    return payload.recipients


def notice_key(payload: Notice) -> str:
    return payload.form_id if isinstance(payload, AssignmentForm) else payload.key


def notice_text(payload: Notice) -> tuple[str, str]:
    """Subject and body as the recipient reads them (times in Beijing time, zone said)."""
    if isinstance(payload, Notification):
        return payload.subject, payload.body
    if isinstance(payload, RumourTransfer):
        return (f"【移交】{payload.title}",
                f"移交理由：{payload.reason}\n有关情况和线索：\n" + "\n".join(payload.leads))
    form = payload
    lines = [f"交办单编号：{form.form_id}（{'牵头单位' if form.lead else '配合单位'}）",
             f"舆情类别：{form.category} {form.category_label}；级别：{form.severity}",
             f"答复形式：{form.reply_form or '—'}",
             f"答复时间：{local_time(form.handling_deadline, with_year=True)} 前（北京时间）",
             f"签收回传：{local_time(form.ack_deadline, with_year=True)} 前（北京时间）",
             "舆情信息：", *form.reports]
    if form.emergency:
        lines.insert(0, "紧急交办：已先电话通知，本单为补充填报。")
    return f"【交办单】{form.title}", "\n".join(lines)


class NoticeReceipt(BaseModel):
    """回执: one channel's answer for one notice and recipient, as the incident records it."""

    key: str = Field("", description="通知的幂等键（发件箱记录同名）")
    what: str
    notice: str = Field(description="交办单、催办、督办 …")
    recipient: str
    channel_label: str
    outcome: Outcome
    at: datetime
    detail: str = ""


class UndeliveredNotice(BaseModel):
    """A notice no channel could deliver after its tries: the office was alerted (待办)."""

    key: str = ""
    what: str
    notice: str
    recipients: list[str]
    since: datetime
    cause: str


class NoticeRecords(BaseModel):
    """What became of an incident's notices: a part of its status (``IncidentStatus``)."""

    notices: list[NoticeReceipt] = Field(default_factory=list, description="最近的通知送达回执")
    undelivered: list[UndeliveredNotice] = Field(
        default_factory=list, description="各渠道重试后仍未送达的通知（已提醒网信办）")
