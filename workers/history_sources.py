"""Where an audit's histories come from (审计的历史来源): an archived file, checked, or bytes.

Loading a history's JSON costs about as much as replaying it, so the archive keeps a
binary copy beside each JSON file (``activities.archive``) and the replay reads that: each
archived file is read once, checked against the manifest's SHA-256 from the same bytes
(the JSON too, so an altered JSON fails the audit as before), and the binary parsed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from temporalio.api.history.v1 import History
from temporalio.client import WorkflowHistory


class AlteredHistory(Exception):
    """An archived file that no longer matches its checksum, cannot be read, or is no history."""


@dataclass(frozen=True)
class HistorySource:
    """One history to replay: an archived file with its checksum, or the history's bytes."""

    workflow_id: str
    path: str | None = None
    sha256: str | None = None
    data: bytes | None = None
    events: int = 0  # as the manifest records it: what deciding on more processes needs
    binary_path: str | None = None  # the archive's binary copy, replayed when there is one
    binary_sha256: str | None = None

    @classmethod
    def of(cls, history: WorkflowHistory) -> HistorySource:
        return cls(history.workflow_id, data=History(events=history.events).SerializeToString(),
                   events=len(history.events))

    def load(self) -> WorkflowHistory:
        history = self._read()
        if not history.events or not history.events[0].HasField(
                "workflow_execution_started_event_attributes"):
            raise AlteredHistory(f"{self.path or self.workflow_id}: not a history (no start event)")
        return history

    def _read(self) -> WorkflowHistory:
        if self.data is not None:
            history = History()
            history.ParseFromString(self.data)
            return WorkflowHistory(self.workflow_id, history.events)
        assert self.path is not None  # a source is its bytes (of()) or its archived file
        raw = _checked(self.path, self.sha256)
        if self.binary_path is not None:
            history = History()
            try:
                history.ParseFromString(_checked(self.binary_path, self.binary_sha256))
            except DecodeError:  # archived so, checksum and all: still not a history
                raise AlteredHistory(f"{self.binary_path}: not a history") from None
            return WorkflowHistory(self.workflow_id, history.events)
        try:  # the archive writes protobuf's own JSON: read straight, without the SDK's fixes
            return WorkflowHistory(self.workflow_id,
                                   json_format.Parse(raw, History(), ignore_unknown_fields=True).events)
        except json_format.ParseError:
            pass  # e.g. the UI's or the CLI's export, with their own enum names
        try:
            return WorkflowHistory.from_json(self.workflow_id, raw.decode("utf-8"))
        except Exception as error:  # archived so, checksum and all: still not a history
            raise AlteredHistory(f"{self.path}: not a history ({type(error).__name__})") from None


def _checked(path: str, sha256: str | None) -> bytes:
    """The file's bytes, if they still match the manifest's checksum."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as error:
        raise AlteredHistory(f"{path}: {error.strerror}") from None
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise AlteredHistory(path)
    return raw
