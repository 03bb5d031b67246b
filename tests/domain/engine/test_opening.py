"""domain.engine.opening: 立案 on the deployment's settings, as the run loop opens (no server)."""

from domain.engine import opening
from domain.roster import Roster

from tests.domain.procedure.drive import context, start


def opened(**analysis):
    first = start(**analysis)
    state = opening.new_incident(first)
    settings = opening.DeploymentSettings(roster=Roster(), source="/srv/yuqing/yuqing.toml")
    return state, *opening.open_with_settings(state, settings, first, context(0))


def test_the_settings_are_adopted_before_the_first_report_and_its_analysis():
    state, effects, refusals = opened()
    actions = [entry.action for entry in state.status.timeline]
    assert actions[:3] == ["deployment_settings", "report", "analyze"]
    assert "/srv/yuqing/yuqing.toml" in state.status.timeline[0].detail
    assert effects and refusals == []


def test_an_analysis_refused_at_the_opening_is_returned_and_the_incident_opens_all_the_same():
    """(The loop logs what it returns; the record already holds it.)"""
    state, effects, refusals = opened(response_hours=8000)  # beyond the statutory 48 h
    assert [r.message for r in refusals] == ["analyze"]
    assert refusals == state.status.rejected_inputs
    assert "response_hours" in refusals[0].reason
    assert [entry.action for entry in state.status.timeline] == ["deployment_settings", "report"]
