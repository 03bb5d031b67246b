"""The proposal (拟议设置): ``--set KEY=VALUE`` and ``--rules-version N``, checked like the
configuration itself, and applied to each incident's start as the starter would have.

A key is a ``[local_defaults]`` name (本地默认: the values no document fixes, which the
deployment may set); the value is held to the same limits ``yuqing.toml`` is (hours
finite, above zero, at most a year). Statutory windows are fixed by their documents
and cannot be proposed away. The starter writes the local defaults into each incident's
start, so an incident already running keeps the values it was reported under: a change
is felt by incidents reported after it.
"""

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from domain.messages import IncidentStart
from domain.presentation import describe_validation_error
from domain.profiles import LocalDefaults
from domain.rules_version import CURRENT_RULES, rules_for


class ProposalError(ValueError):
    """A proposal the configuration itself would refuse: one line saying why."""


# The keys the rules object marks overridable (``Rules.overridable``), in the
# configuration's order; which part of the configuration each belongs to, and whether an
# incident already running would feel a change of it (it would not: each incident's
# start records the values it runs under, and its rules version is fixed when it opens).
OVERRIDABLE = {name: "local_defaults" for name in LocalDefaults.model_fields
               if name in rules_for(CURRENT_RULES).overridable}
FELT_BY_RUNNING_INCIDENTS = {"local_defaults": False, "rules_version": False}


@dataclass(frozen=True)
class Proposal:
    local_defaults: dict[str, Any] = field(default_factory=dict)
    rules_version: int | None = None

    @property
    def empty(self) -> bool:
        return not self.local_defaults and self.rules_version is None

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = dict(self.local_defaults)
        if self.rules_version is not None:
            shown["rules_version"] = self.rules_version
        return shown

    def felt_by_running_incidents(self) -> dict[str, bool]:
        """Per proposed key: whether an incident already open would feel it."""
        felt = {key: FELT_BY_RUNNING_INCIDENTS[OVERRIDABLE[key]] for key in self.local_defaults}
        if self.rules_version is not None:
            felt["rules_version"] = FELT_BY_RUNNING_INCIDENTS["rules_version"]
        return felt

    def applied_to(self, start: IncidentStart) -> IncidentStart:
        """The start naming the proposed rules version; the local defaults are replaced when
        the replayed incident opens (``Context.local_overrides``, ``Rules.with_overrides``)."""
        if self.rules_version is None:
            return start
        return start.model_copy(update={"rules_version": self.rules_version})


def _split(assignment: str) -> tuple[str, str]:
    key, sep, value = assignment.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ProposalError(f"--set {assignment!r}：须为 KEY=VALUE，如 ack_hours=1 "
                            "(expected KEY=VALUE)")
    return key.strip(), value.strip()


def parse_proposal(assignments: list[str], rules_version: int | None = None) -> Proposal:
    """The proposal from ``KEY=VALUE`` strings, or ``ProposalError`` naming the first fault."""
    proposed: dict[str, str] = {}
    for assignment in assignments:
        key, value = _split(assignment)
        if key not in OVERRIDABLE:
            raise ProposalError(
                f"--set {key}：不是可调整的本地默认值；可调整：{', '.join(OVERRIDABLE)} "
                "(not an overridable [local_defaults] key)")
        proposed[key] = value
    try:  # the configuration's own model and limits, with everything else at its default
        checked = LocalDefaults.model_validate(proposed)
    except ValidationError as error:
        raise ProposalError(f"--set：local_defaults.{describe_validation_error(error)}") from None
    values = {key: getattr(checked, key) for key in proposed}
    if rules_version is not None:
        _check_rules_version(rules_version)
    rules_for(rules_version or CURRENT_RULES).with_overrides(**values)  # the rules' own check
    return Proposal(values, rules_version)


def _check_rules_version(rules_version: int) -> None:
    """One the starter could name: the start's own field and its limits."""
    field_info = IncidentStart.model_fields["rules_version"]
    assert field_info.annotation is not None  # a declared field keeps its declared type
    try:
        TypeAdapter(field_info.annotation).validate_python(rules_version)
        for limit in field_info.metadata:  # ge / le of the start's own field
            _check_limit(limit, rules_version)
        rules_for(rules_version)
    except (ValidationError, ValueError):
        raise ProposalError(
            f"--rules-version {rules_version}：不是可用的规则版本 (not a rules version "
            f"the starter can name: {_versions(field_info.metadata)})") from None


def _check_limit(limit: Any, value: int) -> None:
    for name, holds in (("ge", lambda bound: value >= bound), ("le", lambda bound: value <= bound),
                        ("gt", lambda bound: value > bound), ("lt", lambda bound: value < bound)):
        bound = getattr(limit, name, None)
        if bound is not None and not holds(bound):
            raise ValueError(name)


def _versions(metadata: list) -> str:
    low = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
    return f"{low}–{high}" if low != high else f"{low}"
