"""部署配置 (deployment settings): the roster and local defaults are the deployment's.

The worker reads them from its configuration when an incident opens (a local activity,
so the history holds what was read) and this paragraph records them with their digest.
A start that carries its own is refused. A roster change reaches a running incident by
``update_roster``, which only the deployment's administrators (``[roster]
administrators``) may send; each change is on the timeline with the new digest.
"""

import hashlib

from pydantic import BaseModel

from domain.messages import IncidentStart, UpdateRoster
from domain.engine.step import Context, IncidentState, Refusal, Step
from domain.profiles import LocalDefaults
from domain.roster import Roster

CARRIED_BY_THE_SENDER = ("roster", "local_defaults")
DEPLOYMENT_OWNS_SETTINGS_PATCH = "deployment-owns-roster"  # a version marker: recorded, never renamed
DEPLOYMENT_SETTINGS = "deployment_settings"  # the local activity that reads them


class DeploymentSettings(BaseModel):
    """What the worker read from its configuration, and from where."""

    roster: Roster = Roster()
    local_defaults: LocalDefaults = LocalDefaults()
    source: str = ""


def digest(roster: Roster, local_defaults: LocalDefaults | None = None) -> str:
    """A short fingerprint of the settings, to tell on the timeline which applied."""
    parts = [roster.model_dump_json()]
    if local_defaults is not None:
        parts.append(local_defaults.model_dump_json())
    return "sha256:" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


# A start's roster and local defaults when it carries none (built once: compared, never used)
NOT_CARRIED = {name: IncidentStart.model_fields[name].get_default(call_default_factory=True)
               for name in CARRIED_BY_THE_SENDER}


def refuse_carried_settings(start: IncidentStart) -> None:
    """A new start may not bring its own roster or local defaults (the deployment's are used)."""
    carried = [name for name in CARRIED_BY_THE_SENDER
               if getattr(start, name) != NOT_CARRIED[name]]
    if carried:
        raise Refusal(f"上报不得自带 {'、'.join(carried)}：名册与本地默认时限由部署配置决定 "
                      f"(a report may not carry its own {', '.join(carried)}: the deployment's "
                      "configuration decides)")


def _summary(roster: Roster) -> str:
    return f"名册 {len(roster.units)} 个单位、{len(roster.offices)} 个机关、" \
           f"{len(roster.administrators)} 名管理员"


def adopt_settings(state: IncidentState, settings: DeploymentSettings, ctx: Context) -> None:
    """Before the first report is recorded: the deployment's roster and defaults apply."""
    status = state.status
    status.roster, status.local_defaults = settings.roster, settings.local_defaults
    Step(state, ctx).record(
        "部署配置", "deployment_settings",
        f"采用部署配置 {settings.source or '（无配置文件，默认值）'}：{_summary(settings.roster)}；"
        f"摘要 {digest(settings.roster, settings.local_defaults)}")


def check_update_roster(state: IncidentState, message: UpdateRoster, ctx: Context) -> None:
    if message.roster == state.status.roster:
        raise Refusal("名册未变 (the roster is unchanged)")


def apply_update_roster(step: Step, message: UpdateRoster) -> None:
    step.status.roster = message.roster
    step.record(message.actor, "update_roster",
                f"名册更新：{_summary(message.roster)}；摘要 {digest(message.roster)}")
