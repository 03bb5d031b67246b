"""The version markers a recorded history holds (``workflow.patched``'s ids).

In a history's JSON each payload is base64: a marker's id is found only in the decoded events.
"""

import json

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory


def patches_recorded(history: WorkflowHistory) -> set[str]:
    """The ids of the patch markers in the history (a local activity's marker has none)."""
    details = [e.marker_recorded_event_attributes.details for e in history.events
               if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    return {json.loads(d["patch-data"].payloads[0].data)["id"] for d in details
            if "patch-data" in d}
