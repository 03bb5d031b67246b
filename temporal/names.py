"""Names every process agrees on: the task queue, the workflow type, one workflow id per incident."""

TASK_QUEUE = "yuqing"
WORKFLOW_TYPE = "IncidentWorkflow"
WORKFLOW_ID_PREFIX = "incident-"
# A payload's metadata key, inside its encryption (``temporal.codec``): who sealed it (a
# verified login, or a service's identity); the data converter hands it to the procedure.
PRINCIPAL = "yuqing-principal"


def workflow_id_for(incident_id: str) -> str:
    """One workflow per incident: ``incident-<incident_id>``."""
    return WORKFLOW_ID_PREFIX + incident_id
