"""Names every process agrees on: the task queue, the workflow type, one workflow id per incident."""

TASK_QUEUE = "yuqing"
WORKFLOW_TYPE = "IncidentWorkflow"
WORKFLOW_ID_PREFIX = "incident-"


def workflow_id_for(incident_id: str) -> str:
    """One workflow per incident: ``incident-<incident_id>``."""
    return WORKFLOW_ID_PREFIX + incident_id
