"""Policy profiles (政策配置): one per source document, as data.

Each incident runs under one profile, recorded in its history. A value a
document fixes is statutory; a value no document fixes is a local default
(本地默认), overridable by configuration and marked as not statutory wherever
it is shown.
"""

import functools
from enum import Enum
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.limits import MAX_HOURS, MAX_NAME_CHARS
from domain.window_functions import (
    ASSIGNING_OFFICE, EACH_UNIT_HELD, FROM_ASSIGNMENT, FROM_DETECTION, FROM_EACH_RELEASE,
    FROM_PHONE_ASSIGNMENT, FROM_WRITTEN_FORM, LEAD_UNIT, LEAD_UNIT_HELD, THAT_UNIT, THE_OFFICE,
    MetBy, OwedBy, RunsFrom,
)
from domain.window_ids import WindowId, window_order


# 逾期不回应: the windows owed to the public (W-FACTS, W-AUTH, W-PRESS, W-RESP); with
# 逾期不反馈 (W-HANDLE) they are the misses that climb 催办 → 督办 (004 二(五)).
RESPONSE_WINDOWS = frozenset({WindowId.FACTS, WindowId.AUTH, WindowId.PRESS, WindowId.RESP})
CLIMBING_WINDOWS = RESPONSE_WINDOWS | {WindowId.HANDLE}


class ProfileName(str, Enum):
    NATIONAL_2016 = "national-2016"
    LIUZHOU_2017 = "liuzhou-2017"
    NANTONG_2017 = "nantong-2017"


class Applicability(str, Enum):
    """Which incidents a window applies to."""

    MAJOR_INCIDENT = "major_incident"  # 特别重大/重大舆情, any category
    MAJOR_EMERGENCY = "major_emergency"  # 特别重大/重大突发事件
    MAJOR_EMERGENCY_HIGH_IMPACT = "major_emergency_high_impact"  # …且造成重大人员伤亡或社会影响较大
    OTHER_INCIDENTS = "other_incidents"  # 其他政务舆情
    EVERY_ASSIGNMENT = "every_assignment"
    EMERGENCY_ASSIGNMENT = "emergency_assignment"  # 紧急交办
    UNANALYZED = "unanalyzed"


class WindowRule(BaseModel):
    """One window of one profile (its entry): how long, for whom, from when, owed by whom,
    met by what, whether its miss climbs the ladder, and on whose authority."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    window: WindowId
    hours: float = Field(gt=0)
    applies_to: Applicability
    statutory: bool
    source: str
    quote: str = ""
    label: str = ""  # a window of SPEC §4 keeps its own (``WindowId.label``)
    runs_from: RunsFrom = FROM_DETECTION
    owed_by: OwedBy = LEAD_UNIT_HELD
    # Besides what its paragraph's ``meet`` says (SPEC §4's windows): the messages that meet it.
    met_by: tuple[MetBy, ...] = ()
    climbs: bool = False  # its miss is urged and climbs 督办 → 问责 under every rules version

    @property
    def shown_as(self) -> str:
        return self.label or self.window.label


class LocalDefaults(BaseModel):
    """Values no document fixes (本地默认). Configurable per deployment."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    analyze_hours: float = Field(2, gt=0, le=MAX_HOURS, description="未附研判的舆情，研判时限")
    ack_hours: float = Field(2, gt=0, le=MAX_HOURS, description="交办单签收回传时限")
    handling_hours: float = Field(72, gt=0, le=MAX_HOURS, description="未设置办理时限时的默认办理时限")
    reply_form: str = Field("原平台回复（舆情出现在哪里，就在哪里回应）", min_length=1,
                            max_length=MAX_NAME_CHARS,
                            description="交办时未指定答复形式时的默认答复形式")
    backfill_hours: float = Field(24, gt=0, le=MAX_HOURS, description="电话交办后补填交办单时限")
    continuing_release_hours: float = Field(24, gt=0, le=MAX_HOURS, description="重大舆情持续发布的间隔")
    urge_grace_hours: float = Field(24, gt=0, le=MAX_HOURS, description="催办后仍未解决即转督办的宽限期")
    supervise_grace_hours: float = Field(72, gt=0, le=MAX_HOURS, description="督办后仍未解决即建议问责的宽限期")


class ConsultationRule(BaseModel):
    """会商研判 of one profile: who organises it, whether the units join, on whose authority."""

    model_config = ConfigDict(frozen=True)

    members: tuple[tuple[str, str], ...]  # (recipient id, name)
    with_units: bool
    statutory: bool
    source: str


class PolicyProfile(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: ProfileName
    document: str
    statutory_windows: tuple[WindowRule, ...]
    consultation: ConsultationRule
    # Only 004 sets the handling deadline per urgency at assignment (二(二)3).
    handling_set_at_assignment: bool = False
    # Only 004 assigns emergencies by phone and backfills the form (二(二)2).
    emergency_backfill: bool = False
    # Only 004 has the 交办 / 反馈 / 催办督办 machinery; applied under another profile
    # each of its steps is a local default, marked so (SPEC §4 A-LOCAL, rules version 3).
    procedure_statutory: bool = False

    def rules(self, defaults: LocalDefaults) -> list[WindowRule]:
        """Every window of this profile: the statutory ones and the local defaults."""
        return [*self.statutory_windows,
                *local_rules(self.document, self.emergency_backfill, defaults)]

    def rule(self, window: WindowId, defaults: LocalDefaults) -> WindowRule | None:
        return next((r for r in self.rules(defaults) if r.window == window), None)

    # Both asked at every step: derived once from the (frozen) entries.
    @functools.cached_property
    def climbing(self) -> frozenset[WindowId]:
        """Its windows whose entry says their miss climbs the ladder (``climbs``)."""
        return frozenset(r.window for r in self.statutory_windows if r.climbs)

    @functools.cached_property
    def met_by_messages(self) -> tuple[WindowRule, ...]:
        """Its windows whose entry names what meets them (``met_by``)."""
        return tuple(r for r in self.statutory_windows if r.met_by)

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> "PolicyProfile":
        """A copy (a profile being written, e.g. a window added) derives both afresh."""
        copy = super().model_copy(update=update, deep=deep)
        for derived in ("climbing", "met_by_messages"):
            copy.__dict__.pop(derived, None)
        return copy


@functools.lru_cache(maxsize=64)  # a few deployments' defaults; the entries are frozen
def local_rules(document: str, emergency_backfill: bool,
                defaults: LocalDefaults) -> tuple[WindowRule, ...]:
    """A profile's windows no document fixes, from the local defaults (built once per
    profile and defaults: planning asks for them at every step)."""
    local = [
        WindowRule(window=WindowId.ANALYZE, hours=defaults.analyze_hours,
                   applies_to=Applicability.UNANALYZED, statutory=False,
                   source="本地默认", owed_by=THE_OFFICE),
        WindowRule(window=WindowId.ACK, hours=defaults.ack_hours,
                   applies_to=Applicability.EVERY_ASSIGNMENT, statutory=False,
                   source="本地默认（签收回传见004 二(二)）", runs_from=FROM_WRITTEN_FORM,
                   owed_by=THAT_UNIT),
        WindowRule(window=WindowId.HANDLE, hours=defaults.handling_hours,
                   applies_to=Applicability.EVERY_ASSIGNMENT, statutory=False,
                   source="本地默认", runs_from=FROM_ASSIGNMENT, owed_by=THAT_UNIT),
        WindowRule(window=WindowId.CONT, hours=defaults.continuing_release_hours,
                   applies_to=Applicability.MAJOR_INCIDENT, statutory=False,
                   source=f"本地默认间隔（{document}：持续发布）",
                   runs_from=FROM_EACH_RELEASE, owed_by=LEAD_UNIT),
    ]
    if emergency_backfill:
        local.append(WindowRule(window=WindowId.BACKFILL, hours=defaults.backfill_hours,
                                applies_to=Applicability.EMERGENCY_ASSIGNMENT,
                                statutory=False, source="本地默认（补充填报见004 二(二)2）",
                                runs_from=FROM_PHONE_ASSIGNMENT, owed_by=ASSIGNING_OFFICE))
    return tuple(local)


def statutory(window: WindowId | str, hours: float, applies_to: Applicability, source: str,
              quote: str, **entry: Any) -> WindowRule:
    """A window a document fixes, with the words that fix it (``entry``: the rest of it)."""
    return WindowRule(window=WindowId(window), hours=hours, applies_to=applies_to,
                      statutory=True, source=source, quote=quote, **entry)


_W, _A = WindowId, Applicability
_GUOBAN_2016 = "国办发〔2016〕61号 三"
_LIUZHOU = "柳政办〔2017〕120号 一(一)1"
_NANTONG = "南通 2017-12-22 二(二)3"

NATIONAL_2016 = PolicyProfile(
    name=ProfileName.NATIONAL_2016, document="国办发〔2016〕61号",
    # 003 (七) asks for a 会商联席会议 with the publicity and internet-content
    # offices but names no members: a local default, marked so.
    consultation=ConsultationRule(
        members=(("gov-office", "本级政府办公厅（室）"), ("publicity", "新闻宣传部门"),
                 ("cac", "互联网信息内容主管部门")),
        with_units=True, statutory=False, source="本地默认（国办发〔2013〕100号 二(七) 未列成员）"),
    statutory_windows=(
        statutory(_W.PRESS, 24, _A.MAJOR_EMERGENCY, _GUOBAN_2016, "对涉及特别重大、重大突发事件的政务舆情，要快速反应、及时发声，最迟应在24小时内举行新闻发布会"),
        statutory(_W.RESP, 48, _A.OTHER_INCIDENTS, _GUOBAN_2016, "对其他政务舆情应在48小时内予以回应",
                  owed_by=EACH_UNIT_HELD),
    ),
)

LIUZHOU_2017 = PolicyProfile(
    name=ProfileName.LIUZHOU_2017, document="柳政办〔2017〕120号",
    consultation=ConsultationRule(
        members=(("gov-office", "市人民政府办公室"), ("cac", "市互联网信息办公室"),
                 ("service-supervision", "市政务服务监督管理办公室")),
        with_units=True, statutory=True, source="柳政办〔2017〕120号 一(二)1"),
    statutory_windows=(
        statutory(_W.FACTS, 1, _A.MAJOR_EMERGENCY, _LIUZHOU, "第一时间向社会发布已掌握的事实类信息，原则上不超过1小时"),
        statutory(_W.PRESS, 24, _A.MAJOR_EMERGENCY_HIGH_IMPACT, _LIUZHOU, "造成重大人员伤亡或社会影响较大的，最迟在24小时内召开新闻发布会，并视情连续召开"),
        statutory(_W.RESP, 48, _A.OTHER_INCIDENTS, _LIUZHOU, "对其他政务舆情在48小时内予以回应",
                  owed_by=EACH_UNIT_HELD),
    ),
)

NANTONG_2017 = PolicyProfile(
    name=ProfileName.NANTONG_2017, document="南通市政府办公室 2017-12-22 通知",
    handling_set_at_assignment=True, emergency_backfill=True, procedure_statutory=True,
    consultation=ConsultationRule(
        members=(("gov-office", "市政府办公室"), ("cac", "市网信办"), ("police", "市公安局"),
                 ("supervision-bureau", "市监察局"), ("emergency-office", "市应急办"),
                 ("petitions-bureau", "市信访局")),
        with_units=False, statutory=True, source="南通 2017-12-22 三(一)"),
    statutory_windows=(
        statutory(_W.AUTH, 5, _A.MAJOR_EMERGENCY, _NANTONG, "最迟要在5小时内发布权威信息"),
        statutory(_W.PRESS, 24, _A.MAJOR_EMERGENCY, _NANTONG, "在24小时内举行新闻发布会"),
        statutory(_W.RESP, 48, _A.OTHER_INCIDENTS, "国办发〔2016〕61号 三（南通通知所贯彻）",
                  "对其他政务舆情应在48小时内予以回应；交办时可按轻重缓急设更短时限",
                  owed_by=EACH_UNIT_HELD),
    ),
)

PROFILES: dict[ProfileName, PolicyProfile] = {
    p.name: p for p in (NATIONAL_2016, LIUZHOU_2017, NANTONG_2017)
}


def profile_for(name: ProfileName | str) -> PolicyProfile:
    """Where every incident finds its profile, at every step: an incident's own name (a
    ``ProfileName``) is found without converting it."""
    return PROFILES[name if isinstance(name, ProfileName) else ProfileName(name)]


def runs_from_and_owed_by(profiles: Iterable[PolicyProfile]) -> dict[WindowId, tuple[str, str]]:
    """When each window starts and who owes it, as the README shows it, from the entries."""
    found: dict[WindowId, tuple[str, str]] = {}
    for profile in profiles:
        for rule in profile.rules(LocalDefaults()):
            found.setdefault(rule.window, (rule.runs_from.text, rule.owed_by.text))
    return dict(sorted(found.items(), key=lambda item: window_order(item[0])))


RUNS_FROM_AND_OWED_BY = runs_from_and_owed_by(PROFILES.values())
