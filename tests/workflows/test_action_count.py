"""Issue #2: a routine single-unit incident costs at most 20 Temporal Cloud actions."""

from tests.support.action_count import count_actions
from tests.support.recorded_scenarios import run_routine_incident


async def test_routine_incident_stays_within_the_action_budget(env, worker):
    counts = count_actions(await run_routine_incident(env))
    # one timer per deadline (W-ACK, then W-RESP, then W-HANDLE, each armed when it is the
    # nearest: domain.engine.waiting.nearest), never re-armed in a loop
    assert counts["timer"] == 3
    assert counts["activity attempt"] == 1  # the 交办单
    assert counts["signal"] == 5  # the start's add_report + four steps
    # the start sets the opening search attributes: one upsert per later step, none at opening
    assert counts["search-attribute upsert"] == 4
    # versions named in the start (no version marker); one local activity reads the
    # deployment's roster and local defaults (issue #22)
    assert counts["marker (local activity / side effect)"] == 1
    assert sum(counts.values()) <= 15  # issue #14; the budget of issue #2 is 20
