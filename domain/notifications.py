"""What the workflow asks the outside world to do (activity inputs and results)."""

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, Field


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


class Delivery(BaseModel):
    """Where the outbox put something, so the timeline can point to it."""

    key: str
    channels: list[str]
    location: str
    delivered_at: datetime
    already_delivered: bool = False
