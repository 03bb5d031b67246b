"""Exactly once for the incident's life (只受理一次): the ``message_id`` of every message taken.

A message repeated with the same ``message_id`` (a client's retry) is acknowledged and
changes nothing; one that reuses an id with *different* content is refused with a reason,
never silently dropped. Each id is remembered compactly, as a digest of the id beside a
digest of the content (12 bytes), carried across continue-as-new with the state: the
newest ``MESSAGE_IDS_KEPT`` ids, far more than an incident's whole life of messages.
The receipts of the newest ``RECEIPTS_KEPT`` updates are kept to answer their retries.
"""

import base64
import hashlib
import json
from typing import Any

from domain import limits
from domain.engine.step import IncidentState, Refusal
from domain.status import MessageReceipt

ID_BYTES, CONTENT_BYTES = 8, 4
RECORD_BYTES = ID_BYTES + CONTENT_BYTES
MESSAGE_IDS_KEPT = 4_000  # 64 KB carried; the oldest are forgotten only past this many
RECEIPTS_KEPT = 100
ANY_CONTENT = bytes(CONTENT_BYTES)  # an id carried from before digests: content unknown


def message_id_of(payloads: tuple[Any, ...]) -> str | None:
    """The sender's ``message_id``, when the message carries a usable one."""
    if len(payloads) != 1 or not isinstance(payloads[0], dict):
        return None
    found = payloads[0].get("message_id")
    if isinstance(found, str) and 0 < len(found) <= limits.MAX_MESSAGE_ID_CHARS:
        return found
    return None


def content_digest(name: str, payload: Any) -> str:
    """The message's name and content, canonical (key order, spacing do not count)."""
    try:
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str,
                               separators=(",", ":"))
    except (ValueError, TypeError, RecursionError):
        canonical = repr(type(payload))
    return hashlib.sha256(f"{name}\0{canonical}".encode("utf-8", "replace")).hexdigest()


def _record(message_id: str, name: str, payload: Any) -> tuple[bytes, bytes]:
    key = hashlib.sha256(message_id.encode("utf-8", "replace")).digest()[:ID_BYTES]
    return key, bytes.fromhex(content_digest(name, payload))[:CONTENT_BYTES]


def _index(state: IncidentState) -> dict[bytes, bytes]:
    """id digest → content digest, decoded once per state object (not per message)."""
    index = state._message_index
    if index is None:
        packed = base64.b64decode(state.message_digests)
        index = {packed[i:i + ID_BYTES]: packed[i + ID_BYTES:i + RECORD_BYTES]
                 for i in range(0, len(packed), RECORD_BYTES)}
        for legacy in state.message_ids:  # carried by a release that kept ids in clear
            index.setdefault(_record(legacy, "", None)[0], ANY_CONTENT)
        state._message_index = index
    return index


def repeated(state: IncidentState, name: str, payloads: tuple[Any, ...]) -> bool:
    """True for a retry of a message already taken; ``Refusal`` when the id was used
    for a different message."""
    message_id = message_id_of(payloads)
    if message_id is None:
        return False
    key, content = _record(message_id, name, payloads[0])
    known = _index(state).get(key)
    if known is None:
        return False
    if known not in (content, ANY_CONTENT):
        raise Refusal(f"消息编号 {message_id[:40]} 已用于另一条内容不同的消息，未予受理；"
                      "新消息请使用新的 message_id (message_id reused with different content)")
    return True


def first_receipt(state: IncidentState, payloads: tuple[Any, ...]) -> MessageReceipt | None:
    message_id = message_id_of(payloads)
    return state.message_ids.get(message_id) if message_id else None


def receipt_of(state: IncidentState, message_id: str) -> MessageReceipt | None:
    """The receipt kept for an update, for a caller whose wait was cut off."""
    return state.message_ids.get(message_id)


def was_taken(state: IncidentState, message_id: str) -> bool:
    return _record(message_id, "", None)[0] in _index(state)


def taken(state: IncidentState, message_id: str) -> dict[str, Any]:
    """The query ``message_taken``'s answer: whether the id was taken, and its receipt."""
    kept = receipt_of(state, message_id)
    return {"taken": kept is not None or was_taken(state, message_id),
            "receipt": kept.model_dump(mode="json") if kept else None}


def remember(state: IncidentState, name: str, payloads: tuple[Any, ...],
             receipt: MessageReceipt | None) -> None:
    """Keep the digest of a message that was taken, and an update's receipt (bounded)."""
    message_id = message_id_of(payloads)
    if message_id is None:
        return
    key, content = _record(message_id, name, payloads[0])
    index = _index(state)
    index.pop(key, None)
    index[key] = content
    while len(index) > MESSAGE_IDS_KEPT:
        del index[next(iter(index))]
    state.message_digests = base64.b64encode(
        b"".join(k + v for k, v in index.items())).decode("ascii")
    state.message_ids.pop(message_id, None)
    if receipt is not None:
        state.message_ids[message_id] = receipt
    while len(state.message_ids) > RECEIPTS_KEPT:
        del state.message_ids[next(iter(state.message_ids))]


def compact(state: IncidentState) -> None:
    """Every id as a digest and no receipts: what a continue-as-new carries when space is short."""
    index = _index(state)
    state.message_digests = base64.b64encode(
        b"".join(k + v for k, v in index.items())).decode("ascii")
    state.message_ids = {}
