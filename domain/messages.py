"""The incident's messages: one model per message of the contract (README: Messages).

Each message is one JSON object and names its ``actor``: the UI records no
identity, so the history must. Unknown fields are refused rather than ignored,
so a mistyped field name gets a clear error instead of silently doing nothing.
The start payload and its parts (``IncidentStart``, ``Report``, ``Analysis`` …) are in
``domain.incident_start`` and importable from here too.
"""

from dataclasses import dataclass

from pydantic import BaseModel, Field

from domain.roster import Roster
from domain.vocabulary import Channel, FeedbackOutcome, Matter, SanctionKind  # noqa: F401 (re-exported)
from domain.fields import (
    BOUNDED, MessageId, Moment, Name, OptionalName, OptionalText, Text, UnitId, UnitIds, Url,
)
from domain.incident_start import (  # noqa: F401 (re-exported: the contract's models in one place)
    Analysis, AnalysisFields, IncidentStart, Report, RunBudget, UnitRef,
)
from domain.review import ReleaseReview


class Message(BaseModel):
    model_config = BOUNDED

    actor: Name = Field(description="操作人（单位、姓名）")
    message_id: MessageId | None = Field(
        None, description="发送方为本条消息取的编号：同一编号同一内容只受理一次，不同内容被拒绝")


class UnitMessage(Message):
    unit_id: UnitId = Field(description="责任单位编号")


class AddReport(Message):
    """新增舆情信息 add a report of the same incident"""

    report: Report


class Analyze(Message, AnalysisFields):
    """研判 / 研判调整 analyse, or adjust the analysis"""

    model_config = BOUNDED


class Acknowledge(UnitMessage):
    """签收回传交办单 unit signs for its assignment"""


class BackfillForm(UnitMessage):
    """补充填报交办单（紧急交办后） backfill the written form

    After a phone assignment of an emergency (004 二(二)2).
    """

    note: OptionalText = ""


class ReturnAssignment(UnitMessage):
    """退回（非本单位职责） return the assignment"""

    reason: Text


class RequestExtension(UnitMessage):
    """延期申请 / 说明情况 request more time"""

    reason: Text
    until: Moment


class DecideExtension(UnitMessage):
    """延期审批 decide on an extension"""

    approved: bool
    until: Moment | None = None
    comment: OptionalText = ""


class RecordResponse(UnitMessage):
    """回应 record a public response"""

    channel: Channel
    summary: Text
    url: Url = ""
    published_at: Moment | None = Field(
        None, description="发布时间；缺省为消息到达时间")
    head_or_spokesperson_attended: bool | None = Field(
        None, description="发布会、吹风会：相关部门负责人或新闻发言人是否出席（000 三）；"
                          "false 时不计入权威发布；规则版本 3 须说明")
    joint_units: UnitIds = Field(default_factory=list, description="共同作出本次回应的其他单位")
    review: ReleaseReview | None = Field(None, description="发布审核（五关，G-REVIEW）")


class SubmitFeedback(UnitMessage):
    """情况反馈 report how it was handled

    ``resolved: false``: 暂不具备办理条件，说明情况 (004 二(四)), with ``expected_by``.
    """

    summary: Text
    resolved: bool
    expected_by: Moment | None = Field(
        None, description="暂不具备办理条件时预计办结时间（成为新的办理期限）")
    outcome: FeedbackOutcome | None = Field(
        None, description="公开口径：suggestion_adopted / difficulty_solved / "
                          "major_issue_investigated / other")


class ReviewFeedback(UnitMessage):
    """办结审核 / 退回重办 review feedback"""

    accepted: bool
    comment: OptionalText = ""
    until: Moment | None = Field(None, description="退回重办时的新办理期限")


class RecordConsultation(Message):
    """会商研判意见 record the joint consultation's outcome"""

    assessment: Text = Field(description="会商研判意见")
    measures: Text = Field(description="预控处置意见")


class LeaderInstruction(Message):
    """领导批示 leader's instruction"""

    text: Text


class NamingUnits(Message):
    """A decision about units: ``unit_ids``, or ``unit_id`` for one (SPEC §7)."""
    unit_id: UnitId | None = None
    unit_ids: UnitIds = Field(default_factory=list, description="所涉单位（缺省见各消息）")

    @property
    def named(self) -> list[str]:
        return list(dict.fromkeys([*([self.unit_id] if self.unit_id else []), *self.unit_ids]))


class Supervise(NamingUnits):
    """督办（督查室） supervise"""

    reason: Text


class StartAccountability(NamingUnits):
    """启动问责（监察） start accountability"""

    reason: Text


class TransferToPolice(Message):
    """移交公安机关、网络监管部门 transfer a rumour case"""

    reason: Text


class Sanction(UnitMessage):
    """通报批评 · 约谈 · 效能问责 · 表扬 record a sanction or praise

    约谈 only for a unit that was passive and failed to rectify (``failed_to_rectify``).
    """

    kind: SanctionKind
    reason: Text
    office: OptionalName = Field("", description="作出决定的机关（缺省为操作人）")
    offices: list[Name] = Field(default_factory=list, max_length=3,
                                description="通报批评、效能问责：共同决定的机关（004 三(二)）")
    passive_or_harmful: bool = Field(False, description="通报批评、效能问责：工作被动或造成不良影响")
    failed_to_rectify: bool = Field(False, description="约谈：工作消极、不作为且整改不到位")


class Withdraw(Message):
    """撤销 withdraw the incident"""

    reason: Text


class UpdateRoster(Message):
    """更新名册（仅部署管理员） the deployment's new roster for this running incident"""

    roster: Roster


@dataclass(frozen=True)
class UndecodablePayload:
    """A message payload that is not JSON (or nests too deeply): refused, never dropped."""

    encoding: str
    size: int
    error: str


# How the codec marks a payload that can never be decrypted (temporal/codec.py): such a
# message arrives as an UndecodablePayload under this encoding, and is refused.
UNDECRYPTABLE_ENCODING = "binary/undecryptable"


# The error type of a refused update, so a backend can tell a refusal from a fault.
MESSAGE_REFUSED = "MessageRefused"
