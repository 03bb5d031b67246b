"""立案上报 (the report that opens an incident): the workflow's input and its parts.

The start payload (README: Reporting an incident): the first report (舆情信息), optionally its first 研判, who
sent it, the budget of each run, and the versions it runs under. The messages that follow
it are in ``domain.messages``; like them, unknown fields are refused, not ignored.
"""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, model_validator

from domain import limits
from domain.roster import Roster
from domain.vocabulary import Matter
from domain.fields import (
    BOUNDED, Hours, Moment, Name, OptionalName, OptionalText, Text, UnitId, Url, not_blank,
)
from domain.classification import Category, KeyCriterion, Severity
from domain.profiles import LocalDefaults, ProfileName
from domain.rules_version import CURRENT_RULES, FAITHFUL_RULES
from domain.workflow_versions import CURRENT as CURRENT_WORKFLOW_VERSION


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

    max_signals: int = Field(limits.MAX_SIGNALS_PER_RUN, ge=10, le=5_000,
                             description="每轮运行接收的消息（信号与更新合计）上限")
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
        None, ge=1, le=CURRENT_WORKFLOW_VERSION,
        description=f"工作流版本：上报程序填写当前版本 {CURRENT_WORKFLOW_VERSION}（各版本见 "
        "domain/workflow_versions.py）；缺省为 1，由单一运行循环执行，但没有版本 "
        f"7–{CURRENT_WORKFLOW_VERSION} 的改动；自行启动工作流的后台应填写")
