"""domain/workflow_versions.py: which workflow version a start names, and what it changes."""

from datetime import datetime, timezone

from domain import workflow_versions as versions
from domain.roster import PRINCIPAL_FIELD
from tests.domain.builders import start_payload

OPENED = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)


def test_a_start_without_a_version_is_version_1():
    start = start_payload("NT-V", OPENED).model_copy(update={"workflow_version": None})
    assert versions.version_of(start) == 1
    assert versions.version_of(None) == 1
    assert versions.named_in(start.model_dump(mode="json")) == 1


def test_the_version_named_in_a_payload_plain_or_sealed():
    payload = start_payload("NT-V", OPENED).model_dump(mode="json") | {"workflow_version": 6}
    assert versions.named_in(payload) == 6
    assert versions.named_in(payload | {PRINCIPAL_FIELD: "网信办 王五"}) == 6


def test_a_payload_that_cannot_be_read_names_version_1():
    for unreadable in (None, "start", [7], {"workflow_version": "7"}):
        assert versions.named_in(unreadable) == 1


def test_only_version_7_and_later_let_deadlines_fall_before_messages():
    assert not versions.deadlines_before_messages(versions.ONE_RUN_LOOP)
    assert versions.deadlines_before_messages(versions.DEADLINES_BEFORE_MESSAGES)
    assert versions.CURRENT >= versions.DEADLINES_BEFORE_MESSAGES


def test_only_version_3_and_later_show_since_when_an_incident_is_late():
    assert not versions.shows_overdue_since(versions.NEAREST_DEADLINE_ONLY)
    assert versions.shows_overdue_since(versions.OVERDUE_SINCE_SHOWN)
    assert versions.shows_overdue_since(versions.CURRENT)


def test_only_version_8_and_later_hold_unknown_signals_until_the_incident_opens():
    assert not versions.holds_unknown_until_open(versions.DEADLINES_BEFORE_MESSAGES)
    assert versions.holds_unknown_until_open(versions.UNKNOWN_HELD_UNTIL_OPEN)
    assert versions.CURRENT >= versions.UNKNOWN_HELD_UNTIL_OPEN


def test_a_start_may_name_any_version_up_to_the_current_one_and_no_later():
    """The start message's bound is ``CURRENT`` itself: naming a new version is one change."""
    import pytest
    from pydantic import ValidationError

    from domain.messages import IncidentStart
    from domain.rules_version import CURRENT_RULES
    payload = start_payload("NT-V", OPENED).model_dump(mode="json")
    assert IncidentStart.model_validate(payload | {"workflow_version": versions.CURRENT})
    assert IncidentStart.model_validate(payload | {"rules_version": CURRENT_RULES})
    for field, too_new in (("workflow_version", versions.CURRENT + 1),
                           ("rules_version", CURRENT_RULES + 1)):
        with pytest.raises(ValidationError, match=field):
            IncidentStart.model_validate(payload | {field: too_new})


def test_the_frozen_shell_serves_only_a_run_of_versions_1_to_5_without_the_marker():
    """The marker is asked for (and so recorded) only below version 6."""
    asked: list[str] = []

    def patched(answer: bool):
        def ask(name: str) -> bool:
            asked.append(name)
            return answer
        return ask

    assert versions.frozen_shell_serves(versions.DEPLOYMENT_OWNS_SETTINGS, patched(False))
    assert not versions.frozen_shell_serves(versions.DEPLOYMENT_OWNS_SETTINGS, patched(True))
    assert asked == [versions.ONE_RUN_LOOP_PATCH] * 2
    for version in (versions.ONE_RUN_LOOP, versions.CURRENT):
        assert not versions.frozen_shell_serves(version, patched(False))
    assert len(asked) == 2
