"""Deliveries (送达): a notice, 交办单 or rumour transfer handed to its activity.

The activity tries a notice's channels round by round and answers with what each said
after its last round (``activities.notices``); the retry policy bounds the rounds from
outside. Since workflow version 4 the answer is the receipt (``domain.receipts``).
"""

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.delivery import DELIVERY_ACTIVITIES
    from domain.engine.step import PendingDelivery

RECEIPT_RETRY = RetryPolicy(initial_interval=timedelta(seconds=10), backoff_coefficient=2.0,
                            maximum_interval=timedelta(minutes=10), maximum_attempts=20)
RECEIPT_ATTEMPT_TIMEOUT = timedelta(seconds=40)  # a round: channels tried in turn, each ≤ 30 s
DELIVERY_TIMEOUT = timedelta(days=3)  # keeps retrying a down service for days, then records failure


def start_delivery(delivery: PendingDelivery) -> "workflow.ActivityHandle[Any]":
    """Started in the background: no timer and no other work waits for it."""
    return workflow.start_activity_method(
        DELIVERY_ACTIVITIES[type(delivery.payload)], delivery.payload,
        start_to_close_timeout=RECEIPT_ATTEMPT_TIMEOUT, schedule_to_close_timeout=DELIVERY_TIMEOUT,
        retry_policy=RECEIPT_RETRY, summary=delivery.what)
