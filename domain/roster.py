"""名册: who may act for which unit or office, from the deployment's configuration.

Recorded in each incident's start, like the local defaults. When an incident has a
roster, a message acting for a unit must come from one of that unit's people (or from the
cyberspace office recording for it), and an office's decision from one of that office's
people; anything else is refused with a reason. Without a roster (a development
machine) the declared actor is taken as given, and the audit report's "请求来源" still
shows the identity the server recorded for each request.
"""

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class Role(str, Enum):
    CYBERSPACE_OFFICE = "cyberspace_office"  # 网信办
    GOVERNMENT_OFFICE = "government_office"  # 市政府办
    SUPERVISION_OFFICE = "supervision_office"  # 督查室
    SUPERVISORY_ORGAN = "supervisory_organ"  # 监察
    LEADERS = "leaders"  # 市领导


ROLE_LABELS = {Role.CYBERSPACE_OFFICE: "网信办", Role.GOVERNMENT_OFFICE: "市政府办",
               Role.SUPERVISION_OFFICE: "督查室", Role.SUPERVISORY_ORGAN: "监察机关",
               Role.LEADERS: "市领导"}

_OFFICES = (Role.CYBERSPACE_OFFICE, Role.GOVERNMENT_OFFICE)
# Who decides each message; "unit" messages act for the unit they name.
DECIDED_BY: dict[str, tuple[Role, ...]] = {
    "analyze": _OFFICES, "backfill_form": _OFFICES, "review_feedback": _OFFICES,
    "decide_extension": _OFFICES, "record_consultation": _OFFICES,
    "transfer_to_police": _OFFICES, "withdraw": _OFFICES, "sanction": _OFFICES,
    "supervise": (Role.SUPERVISION_OFFICE,), "start_accountability": (Role.SUPERVISORY_ORGAN,),
    "leader_instruction": (Role.LEADERS,),
}
UNIT_MESSAGES = frozenset({"acknowledge", "return_assignment", "request_extension",
                           "record_response", "submit_feedback"})

Names = list[str]


class Roster(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    units: dict[str, Names] = Field(default_factory=dict, description="单位编号 → 可代表该单位的人员")
    offices: dict[Role, Names] = Field(default_factory=dict, description="机关 → 其人员")

    @property
    def empty(self) -> bool:
        return not self.units and not self.offices

    def refusal(self, message: str, actor: str, unit_id: str | None) -> str | None:
        """Why ``actor`` may not send ``message`` (for ``unit_id``); None when it may."""
        if self.empty:
            return None
        office = set(self.offices.get(Role.CYBERSPACE_OFFICE, []))
        if message in UNIT_MESSAGES and unit_id is not None and self.units:
            if actor in self.units.get(unit_id, []) or actor in office:
                return None
            return (f"操作人「{actor}」不在单位 {unit_id} 的名册中，不能代表该单位 "
                    f"(actor is not on unit {unit_id}'s roster)")
        roles = DECIDED_BY.get(message)
        if roles and self.offices and not any(actor in self.offices.get(role, [])
                                              for role in roles):
            who = "、".join(ROLE_LABELS[r] for r in roles)
            return f"操作人「{actor}」不在{who}名册中，无权发送 {message} (not on the roster)"
        return None

