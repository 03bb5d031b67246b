"""Limits that agree (issue #20): the server's payload cap, the message limit, what the
workflow itself sends, and the history a burst can add before the incident hands over."""

import json

import yaml

from domain import limits
from workers.local_server import PAYLOAD_LIMITS
from tests.deploy.compose_file import DOCKERFILE

HISTORY_LIMIT = 50 * 1024 * 1024  # Temporal terminates a run past it
BURST = 260  # the tester's burst of signals sent without pause


def test_the_dev_server_and_production_cap_payloads_alike():
    dynamic = yaml.safe_load((DOCKERFILE.parent / "deploy" / "dynamicconfig.yaml").read_text())
    for key in ("limit.blobSize.error", "limit.blobSize.warn",
                "history.maxInFlightUpdatePayloads"):
        assert dynamic[key] == [{"value": PAYLOAD_LIMITS[key]}], key
    assert PAYLOAD_LIMITS["limit.blobSize.error"] == limits.MAX_PAYLOAD_BYTES


def test_every_accepted_message_fits_the_cap_and_a_burst_at_the_cap_fits_a_run():
    text = "长" * (limits.MAX_MESSAGE_BYTES // 3 - 40)
    message = {"actor": "市领导", "text": text}
    assert len(json.dumps(message, ensure_ascii=False).encode()) <= limits.MAX_MESSAGE_BYTES
    escaped = len(json.dumps(message).encode())  # every character \u-escaped
    encryption = 12 + 16 + 64  # nonce, tag, metadata
    assert escaped + encryption < limits.MAX_PAYLOAD_BYTES
    assert limits.MAX_RESULT_BYTES + encryption < limits.MAX_PAYLOAD_BYTES
    worst_run = limits.MAX_HISTORY_BYTES_PER_RUN + BURST * limits.MAX_PAYLOAD_BYTES
    assert worst_run < HISTORY_LIMIT * 0.9
