"""temporal/background.py: an ended activity's outcome, as its callback is handed it (the
activity started in a workflow: tests/workflows/test_failing_delivery.py and the scenarios)."""

import asyncio

from temporalio.exceptions import ActivityError, ApplicationError, RetryState

from temporal.background import outcome


def failed(cause: Exception) -> ActivityError:
    error = ActivityError("Activity task failed", scheduled_event_id=5, started_event_id=6,
                          identity="worker", activity_type="send_notification",
                          activity_id="1", retry_state=RetryState.MAXIMUM_ATTEMPTS_REACHED)
    error.__cause__ = cause
    return error


async def test_a_result_an_activity_s_failure_and_a_cancellation_each_as_its_outcome():
    loop = asyncio.get_running_loop()
    done, gave_up, cancelled, broke = (loop.create_future() for _ in range(4))
    done.set_result("receipts")
    gave_up.set_exception(failed(ApplicationError("SMTP 550")))
    cancelled.cancel()
    broke.set_exception(ValueError("bad payload"))
    assert outcome(done) == ("receipts", "None")  # (the cause is read only on a failure)
    assert outcome(gave_up) == (None, "SMTP 550")  # its cause, not the wrapper's message
    assert outcome(cancelled) == (None, "")
    assert outcome(broke) == (None, "bad payload")
