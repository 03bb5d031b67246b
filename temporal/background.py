"""An activity started in the background: nothing awaits it, so the run's wait is not woken
when it ends; its answer is handed to a callback instead, as it comes. Workflow code: called
on the workflow's thread.
"""

import asyncio
from collections.abc import Callable
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError


def start_in_background(activity: Callable, arg: Any, options: workflow.ActivityConfig,
                        answered: Callable[[Any, str], None], *, summary: str) -> None:
    """``activity`` started now with ``arg``; once it ends, ``answered(result, cause)``:
    its result, or None and why it failed after every try (``outcome``)."""
    config: workflow.ActivityConfig = {**options, "summary": summary}
    workflow.start_activity_method(activity, arg, **config).add_done_callback(
        lambda done: answered(*outcome(done)))


def outcome(done: "asyncio.Future[Any]") -> tuple[Any, str]:
    """An ended activity's result, or None and the cause of its failure (an activity's
    error names its cause; a cancelled one says so)."""
    error = asyncio.CancelledError() if done.cancelled() else done.exception()
    cause = str(error.cause or error) if isinstance(error, ActivityError) else str(error)
    return None if error else done.result(), cause
