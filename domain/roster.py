"""名册: which identities may act for which unit or office, from the deployment's configuration.

Read by the worker when an incident opens and recorded in its history (domain.procedure.
deployment). An identity is what a login proved (the OIDC e-mail or subject the codec
server sealed into the message) or a backend's service identity (``YUQING_IDENTITY``,
sealed by its keys); the typed ``actor`` counts only for a message that carries no sealed
principal, and never where the roster says ``require_verified = true`` (production).
A message acting for a unit must come from one of that unit's identities (or the
cyberspace office's), an office's decision from one of that office's; anything else is
refused with a reason. Without a roster (a development machine) anyone may act. A message
none of the lists below names is refused from everyone, roster or not (fail closed).
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
# Any sender may add a report (a monitoring system, the office); only the deployment's
# administrators may send ``update_roster``. Every other message is in one of the two above:
# one in none of these is refused (``Roster.refusal``), not open to whoever sends it.
OPEN_TO_ANY_SENDER = frozenset({"add_report"})
ROSTER_UPDATE = "update_roster"

Names = list[str]
# Set by the data converter from inside a message's encryption, never by what a sender types.
PRINCIPAL_FIELD = "__verified_principal__"


def sealed_principal(payload: object) -> tuple[object, str | None]:
    """The message without its verified principal, and that principal (None: unverified)."""
    if not isinstance(payload, dict) or PRINCIPAL_FIELD not in payload:
        return payload, None
    rest = {k: v for k, v in payload.items() if k != PRINCIPAL_FIELD}
    principal = payload[PRINCIPAL_FIELD]
    return rest, principal if isinstance(principal, str) and principal else None


class Roster(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    units: dict[str, Names] = Field(default_factory=dict, description="单位编号 → 可代表该单位的人员")
    offices: dict[Role, Names] = Field(default_factory=dict, description="机关 → 其人员")
    administrators: Names = Field(default_factory=list,
                                  description="部署管理员：可发送 update_roster 更新运行中事件的名册")
    require_verified: bool = Field(False, description="生产：只受理带已验证登录身份的消息")

    @property
    def empty(self) -> bool:
        return not self.units and not self.offices

    def refusal(self, message: str, actor: str, unit_id: str | None,
                principal: str | None = None) -> str | None:
        """Why the sender may not send ``message`` (for ``unit_id``); None when it may.

        The sender is the sealed ``principal`` when there is one, else the typed ``actor``."""
        if principal is None and self.require_verified:
            return "消息未带经验证的登录身份，已拒绝 (no verified identity: log in first)"
        actor = principal or actor
        if message == ROSTER_UPDATE:  # never open, not even on a development machine
            if actor in self.administrators:
                return None
            return (f"操作人「{actor}」不是部署管理员，无权更新名册 "
                    "(only the deployment's administrators may update the roster)")
        if not said_who_may_send(message):
            return (f"未规定谁可发送 {message}（名册规则未列出该消息），已拒绝 "
                    f"(no roster rule says who may send {message})")
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


def said_who_may_send(message: str) -> bool:
    """Whether a roster rule names ``message``: a unit's, an office's decision, open on
    purpose, or the administrators' own."""
    return (message in UNIT_MESSAGES or message in DECIDED_BY or message in OPEN_TO_ANY_SENDER
            or message == ROSTER_UPDATE)
