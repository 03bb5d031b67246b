"""What an incident knows about itself: the ``status`` query and the workflow result."""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.classification import (Category, KeyCriterion, Severity, concerns_emergency_event,
                                   is_major_emergency, is_major_emergency_event)
from domain.labelled import LabelledEnum
from domain.messages import Channel, FeedbackOutcome, Matter, Report, SanctionKind
from domain.notifications import NoticeRecords
from domain.profiles import LocalDefaults, ProfileName, WindowId
from domain.review import ReleaseReview
from domain.roster import Roster
from domain.rules_version import rules_of
from domain.window_ids import OFFICE  # noqa: F401 (a window owed by the assigning office)


class Stage(LabelledEnum):
    """阶段 of the incident (SPEC §1)."""

    ANALYSIS = "analysis", "研判"
    ASSIGNMENT = "assignment", "交办（待签收）"
    HANDLING = "handling", "办理回应"
    FEEDBACK = "feedback", "情况反馈（待审核）"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤销"

    @property
    def is_final(self) -> bool:
        return self in (Stage.CLOSED, Stage.WITHDRAWN)


class Escalation(LabelledEnum):
    """催办督办问责 ladder (SPEC §7), in rising order."""

    NONE = "none", "无"
    URGED = "urged", "已催办"
    SUPERVISED = "supervised", "督办中"
    ACCOUNTABILITY = "accountability", "问责"

    @property
    def rank(self) -> int:
        return list(Escalation).index(self)


class AssignmentState(LabelledEnum):
    """Where one 交办单 stands."""

    ASSIGNED = "assigned", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    RESPONDED = "responded", "已回应"
    FEEDBACK_SUBMITTED = "feedback_submitted", "已反馈待审核"
    EXPLAINED = "explained", "已说明情况（暂不具备办理条件）"
    COMPLETED = "completed", "已办结"
    RETURNED = "returned", "已退回"

    @property
    def is_active(self) -> bool:
        return self not in (AssignmentState.COMPLETED, AssignmentState.RETURNED)


class WindowState(LabelledEnum):
    """Whether a window was kept (按时完成), missed (超期) or lapsed (不适用)."""

    PENDING = "pending", "进行中"
    MET = "met", "按时完成"
    MISSED = "missed", "超期"
    NOT_APPLICABLE = "not_applicable", "不适用"


class Window(BaseModel):
    """One statutory or local-default window of one incident (or one assignment)."""

    id: WindowId
    unit_id: str | None = None
    seq: int = Field(1, description="W-CONT 的第几轮持续发布")
    label: str
    hours: float
    deadline: datetime
    met_at: datetime | None = Field(None, description="完成时间；超期后补办也记录")
    met_by: str | None = Field(None, description="完成该时限的动作")
    state: WindowState = WindowState.PENDING
    statutory: bool
    source: str
    note: str = ""
    owed_by: list[str] = Field(
        default_factory=list,
        description="承担该时限的单位编号；office 为交办方（网信办、市政府办）")
    original_deadline: datetime | None = Field(
        None, description="最初的截止时间（经延期、说明情况或退回重办后顺延时保留）")
    opened_at: datetime | None = Field(
        None, description="时限产生时间（规则版本 3：研判调整后才适用的时限由此判断谁当时承担）")
    missed_deadlines: list[datetime] = Field(
        default_factory=list, description="顺延前已超期的截止时间（超期记录不因顺延而消失）")

    @property
    def key(self) -> tuple[WindowId, str | None, int]:
        return (self.id, self.unit_id, self.seq)

    @property
    def unresolved_miss(self) -> bool:
        return self.state == WindowState.MISSED and self.met_at is None


class ResponseRecord(BaseModel):
    unit_id: str
    channel: Channel
    summary: str
    url: str = ""
    published_at: datetime
    actor: str
    head_or_spokesperson_attended: bool | None = None
    joint_units: list[str] = Field(default_factory=list, description="共同回应的其他单位")
    review: ReleaseReview | None = Field(None, description="发布审核（五关）")

    @property
    def units(self) -> list[str]:
        """Every unit that made this response (A-EACH: it meets only their windows)."""
        return [self.unit_id, *self.joint_units]


class ExtensionRequest(BaseModel):
    reason: str
    until: datetime
    requested_at: datetime
    actor: str


class Feedback(BaseModel):
    summary: str
    resolved: bool
    submitted_at: datetime
    actor: str
    expected_by: datetime | None = Field(None, description="暂不具备办理条件时预计办结时间")
    outcome: FeedbackOutcome | None = None
    accepted: bool | None = None
    review_comment: str = ""


class Assignment(BaseModel):
    """交办单: one per responsible unit (R-5)."""

    unit_id: str
    name: str = ""
    lead: bool = False
    state: AssignmentState = AssignmentState.ASSIGNED
    round: int = Field(1, description="第几次交办（退回后重新交办加一）")
    form_id: str
    assigned_at: datetime
    windows_from: datetime = Field(description="本交办单各时限的起算时间")
    emergency: bool = Field(False, description="紧急交办：先电话后补填交办单")
    vertical: bool = Field(False, description="实行垂直管理的部门 (R-3)")
    form_issued_at: datetime | None = Field(None, description="书面交办单下发时间（签收时限由此起算）")
    reply_form: str | None = None
    reply_form_default: bool = Field(False, description="答复形式未在交办时指定，取本地默认")
    handling_hours: float | None = None
    handling_deadline: datetime | None = None
    deadline_override: datetime | None = Field(
        None, description="经批准延期或退回重办后的办理期限")
    override_local_default: bool = Field(False, description="顺延的办理期限为本地默认（退回重办未定期限）")
    urged_at: datetime | None = Field(None, description="首次被催办时间（规则版本 3）")
    supervised_at: datetime | None = Field(None, description="首次被督办时间（规则版本 3）")
    accountability_at: datetime | None = Field(None, description="首次被问责时间（规则版本 3）")
    acknowledged_at: datetime | None = None
    return_reason: str | None = None
    extension_request: ExtensionRequest | None = None
    feedback: list[Feedback] = []


class SanctionRecord(BaseModel):
    """A sanction or praise decided for one unit (E-NOTICE)."""

    unit_id: str
    kind: SanctionKind
    reason: str
    office: str
    offices: list[str] = Field(default_factory=list, description="共同决定的机关（004 三(二)）")
    decided_at: datetime
    actor: str


class TimelineEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    detail: str
    rule: str | None = None
    unit_id: str | None = None
    local_default: bool = Field(False, description="依本地默认（非法定）时限或规则作出")
    principal: str | None = Field(None, description="经验证的身份（登录或服务密钥），与所填 actor 并记")


class RejectedInput(BaseModel):
    at: datetime
    message: str
    reason: str
    actor: str | None = None
    repeated: int = Field(1, description="同一消息以同一理由连续被拒绝的次数（合并显示）")
    last_at: datetime | None = None


class Consultation(BaseModel):
    """会商研判: who was called, on whose authority, and what they concluded."""

    called_at: datetime
    called_by: str
    members: list[str]
    statutory: bool
    source: str
    assessment: str = Field("", description="会商研判意见")
    measures: str = Field("", description="预控处置意见")
    concluded_at: datetime | None = None
    concluded_by: str | None = None


class IncidentStatus(NoticeRecords):  # notices[], undelivered[]: domain.notifications
    incident_id: str
    profile: ProfileName
    title: str
    rules_version: int = Field(1, description="本事件适用的规则版本（立案时确定，见 README 审计一节）")
    stage: Stage = Stage.ANALYSIS
    escalation: Escalation = Escalation.NONE
    category: Category | None = None
    severity: Severity | None = None
    rumour: bool = False
    rumour_transferred_at: datetime | None = None
    key_criteria: list[KeyCriterion] = []
    high_impact: bool | None = None
    emergency_event: bool | None = Field(None, description="研判认定是否涉及突发事件（空：按分类与 K4 推定）")
    matter: Matter | None = None
    reply_form: str | None = None
    handling_hours: float | None = None
    response_hours: float | None = None
    leader_in_charge: bool = Field(False, description="R-6 特别重大：本级政府主要负责同志负责")
    accountability_recommended: bool = False
    consultation: Consultation | None = None
    monitoring_started_at: datetime | None = Field(None, description="24小时全网舆情监测启动时间")
    leaders_informed_at: datetime | None = Field(None, description="紧急交办向市相关领导汇报时间")
    analyzed_at: datetime | None = None
    reports: list[Report] = []
    reports_not_listed: int = Field(0, description="超出列表上限、只计数的并入舆情信息")
    assignments: list[Assignment] = []
    responses: list[ResponseRecord] = []
    sanctions: list[SanctionRecord] = []
    windows: list[Window] = []
    next_deadline: datetime | None = None
    overdue: bool = False
    timeline: list[TimelineEntry] = []
    timeline_omitted: int = Field(
        0, description="为使结果不超过负载上限而省略的较早时间线条目数（完整记录见各轮历史）")
    rejected_inputs: list[RejectedInput] = []
    refused_total: int = Field(0, description="被拒绝消息的总数（含已合并、已滚出列表的）")
    local_defaults: LocalDefaults = LocalDefaults()
    roster: Roster = Field(default_factory=Roster, description="名册（立案时记录）")
    closed_at: datetime | None = None

    @property
    def major_emergency(self) -> bool:
        """涉及特别重大、重大突发事件: the fast windows apply (SPEC §4)."""
        if not rules_of(self).major_emergency_by_event:
            return is_major_emergency(self.category, self.severity)
        event = concerns_emergency_event(self.category, self.key_criteria, self.emergency_event)
        return is_major_emergency_event(self.severity, event)

    @property
    def lead_unit_ids(self) -> list[str]:
        """Who owes the fast windows: the lead unit, or every active unit where none leads."""
        active = self.active_assignments
        return [a.unit_id for a in active if a.lead] or [a.unit_id for a in active]

    @property
    def first_detected_at(self) -> datetime:
        return min(r.detected_at for r in self.reports)

    def assignment(self, unit_id: str) -> Assignment | None:
        return next((a for a in self.assignments if a.unit_id == unit_id), None)

    @property
    def active_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.state.is_active]

    @property
    def responsible_unit_ids(self) -> list[str]:
        return [a.unit_id for a in self.assignments if a.state != AssignmentState.RETURNED]


class MessageReceipt(BaseModel):
    """An update's synchronous answer (受理回执): what the message did, and where the incident now stands."""

    message: str
    accepted_at: datetime
    stage: Stage
    escalation: Escalation
    next_deadline: datetime | None = None
    overdue: bool = False
    effects: list[TimelineEntry] = Field(
        default_factory=list, description="本条消息在时间线上留下的记录（重复报送等无变化时为空）")
