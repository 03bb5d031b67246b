"""Names every process agrees on: the task queue, the workflow types, one workflow id per
incident, the schedules' ids, the payload's principal key. Recorded in histories, schedules
and payloads: never renamed."""

TASK_QUEUE = "yuqing"
WORKFLOW_TYPE = "IncidentWorkflow"
WORKFLOW_ID_PREFIX = "incident-"
# The two scheduled workflows (workers/schedule.py): the hourly archive, the monthly 通报.
ARCHIVE_WORKFLOW_TYPE = "ArchiveWorkflow"
ARCHIVE_SCHEDULE_ID = "yuqing-archive"
BULLETIN_WORKFLOW_TYPE = "BulletinWorkflow"
BULLETIN_SCHEDULE_ID = "yuqing-bulletin"
# A payload's metadata key, inside its encryption (``temporal.codec``): who sealed it (a
# verified login, or a service's identity); the data converter hands it to the procedure.
PRINCIPAL = "yuqing-principal"


def workflow_id_for(incident_id: str) -> str:
    """One workflow per incident: ``incident-<incident_id>``."""
    return WORKFLOW_ID_PREFIX + incident_id
