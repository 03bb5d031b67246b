"""The incident's input: the start payload and one model per message (CONTRACT.md).

Each message is one JSON object and names its ``actor``: the UI records no
identity, so the history must. Unknown fields are refused rather than ignored,
so a mistyped field name gets a clear error instead of silently doing nothing.
"""

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, model_validator

from domain import limits
from domain.roster import Roster
from domain.vocabulary import Channel, FeedbackOutcome, Matter, SanctionKind  # noqa: F401 (re-exported)
from domain.fields import (
    BOUNDED, Hours, MessageId, Moment, Name, OptionalName, OptionalText, Text, UnitId, UnitIds, Url,
    not_blank,
)
from domain.classification import Category, KeyCriterion, Severity
from domain.profiles import LocalDefaults, ProfileName
from domain.review import ReleaseReview
from domain.rules_version import CURRENT_RULES, FAITHFUL_RULES
from domain.workflow_versions import CURRENT as CURRENT_WORKFLOW_VERSION


class Message(BaseModel):
    model_config = BOUNDED

    actor: Name = Field(description="操作人（单位、姓名）")
    message_id: MessageId | None = Field(
        None, description="发送方为本条消息取的编号：同一编号同一内容只受理一次，不同内容被拒绝")


class UnitMessage(Message):
    unit_id: UnitId = Field(description="责任单位编号")


class Report(BaseModel):
    """舆情信息: one opinion item as a monitoring system saw it."""

    model_config = BOUNDED

    platform: Name
    url: Url = ""
    content: OptionalText = ""
    region: OptionalName = ""
    detected_at: Moment = Field(description="首次发现时间（须带时区）")

    def same_item(self, other: "Report") -> bool:
        """Two reports of one item: same platform and URL (or same text where no URL)."""
        return (self.platform, self.url or self.content) == (other.platform, other.url or other.content)


class UnitRef(BaseModel):
    """A responsible unit (责任单位) named at 研判."""

    model_config = BOUNDED

    unit_id: UnitId
    name: OptionalName = ""
    lead: bool = Field(False, description="牵头部门")
    vertical: bool = Field(False, description="实行垂直管理的部门 (R-3)")


class AnalysisFields(BaseModel):
    """What 研判 decides. Every field is optional in an adjustment (研判调整)."""

    model_config = BOUNDED

    category: Category | None = None
    severity: Severity | None = None
    units: list[UnitRef] | None = Field(None, max_length=limits.MAX_UNITS_PER_ANALYSIS)
    reply_form: OptionalName | None = Field(None, description="答复形式")
    handling_hours: Hours | None = Field(None, description="办理时限（小时）")
    response_hours: Hours | None = Field(
        None, description="回应时限（小时），可短于法定48小时，不可更长")
    rumour: bool | None = Field(None, description="造谣传谣 (C-X)")
    key_criteria: list[KeyCriterion] | None = Field(None, max_length=5,
                                                     description="重点回应标准 C-K1…C-K5")
    high_impact: bool | None = Field(
        None, description="造成重大人员伤亡或社会影响较大（柳州：须召开新闻发布会）")
    matter: Matter | None = Field(None, description="舆情涉及范围，决定回应主体 (R-1…R-5)")
    emergency_event: bool | None = Field(
        None, description="涉及突发事件（默认：E1 或 K4 即是；与特别重大/重大合为重大突发事件）")
    note: OptionalText | None = None

    @model_validator(mode="after")
    def _units_are_distinct(self) -> "AnalysisFields":
        if self.units is not None:
            if not self.units:
                raise ValueError("units 不能为空列表 (name at least one responsible unit)")
            ids = [u.unit_id for u in self.units]
            if len(set(ids)) != len(ids):
                raise ValueError("units 中单位重复：每个单位一张交办单 (R-5)")
            if sum(u.lead for u in self.units) > 1:
                raise ValueError("只能指定一个牵头部门 (at most one lead unit)")
        return self


class Analysis(AnalysisFields):
    """A complete first 研判, as a backend may send it with the report."""

    category: Category
    severity: Severity
    units: list[UnitRef]


class RunBudget(BaseModel):
    """When a run of the incident hands over to the next (continue-as-new), well before
    Temporal's caps (51,200 events, 50 MB, 10,000 signals a run). Recorded in the history."""

    model_config = BOUNDED

    max_signals: int = Field(limits.MAX_SIGNALS_PER_RUN, ge=10, le=5_000)
    max_events: int = Field(limits.MAX_EVENTS_PER_RUN, ge=1_000, le=40_000)


class IncidentStart(BaseModel):
    """The workflow's input: the first report, optionally already analysed."""

    model_config = BOUNDED

    incident_id: Text = Field(pattern=f"^{limits.INCIDENT_ID_PATTERN}$")
    profile: ProfileName
    title: Annotated[str, Field(max_length=limits.MAX_TITLE_CHARS), AfterValidator(not_blank)]
    report: Report
    analysis: Analysis | None = None
    actor: Name
    local_defaults: LocalDefaults = Field(
        default_factory=LocalDefaults,
        description="本地默认时限：由部署配置决定，worker 立案时读取并记入历史；新上报不得自带",
    )
    run_budget: RunBudget = Field(default_factory=RunBudget, description="每轮运行的消息与事件上限")
    roster: Roster = Field(default_factory=Roster, description="名册：同上，由部署配置决定")
    rules_version: int | None = Field(
        None, ge=FAITHFUL_RULES, le=CURRENT_RULES, description="规则版本：上报程序填写当前版本（缺省时由版本标记决定）")
    workflow_version: int | None = Field(
        None, ge=1, le=CURRENT_WORKFLOW_VERSION, description="工作流版本：上报程序填写当前版本；缺省为 1（2：只为最近的截止"
        "时间设定时器；3：超期事件的 NextDeadline 显示最早仍超期的截止时间；4：记录通知送达回执；"
        "5：名册与本地默认由部署配置决定；6：单一运行循环；7：已届满的时限先于其后的消息）")


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


@dataclass(frozen=True)
class UndecodablePayload:
    """A message payload that is not JSON (or nests too deeply): refused, never dropped."""

    encoding: str
    size: int
    error: str


# The error type of a refused update, so a backend can tell a refusal from a fault.
MESSAGE_REFUSED = "MessageRefused"
