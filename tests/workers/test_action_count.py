"""Issue #2: a routine single-unit incident costs at most 20 Temporal Cloud actions."""

from tests.support.action_count import count_actions
from tests.support.recorded_scenarios import run_routine_incident


async def test_routine_incident_stays_within_the_action_budget(env, worker):
    counts = count_actions(await run_routine_incident(env))
    # one timer per window (W-RESP, W-ACK, W-HANDLE), never re-armed in a loop
    assert counts["timer"] == 3
    assert counts["activity attempt"] == 1  # the 交办单
    assert counts["signal"] == 5  # the start's add_report + four steps
    assert sum(counts.values()) <= 20
