"""The monthly 通报's activities: list the incidents page by page, compute each page,
then issue the bulletin (files into the archive, a notice to 市政府办 and 网信办).

Pages are separate activities, so a province's volume spreads across workers; each
returns small partial figures that the workflow merges (``domain.bulletin.merge``).
"""

import asyncio
import base64
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel
from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus

from activities import bulletin_files
from activities.bulletin_source import incidents_since, status_of, trend_start
from activities.notices import NoticeSender
from domain.bulletin import TREND_MONTHS, Bulletin, compute, headline, merge, previous_months
from domain.notifications import Notification, Recipient

PAGE_SIZE = 200
BULLETIN_RECEIVERS = [Recipient(recipient_id="gov-office", name="市政府办公室"),
                      Recipient(recipient_id="cac", name="市网信办")]


class IncidentRef(BaseModel):
    workflow_id: str
    run_id: str
    running: bool


class Page(BaseModel):
    incidents: list[IncidentRef]
    next_page_token: str | None = None  # base64 of the server's opaque token


class PagePart(BaseModel):
    """One page's figures: the month in full, the earlier months as totals."""

    month: Bulletin
    trend: list[Bulletin]


class BulletinIssued(BaseModel):
    month: str
    files: list[str]
    reported: int
    closed: int
    completion_rate: float


class BulletinActivities:
    def __init__(self, client: Client, folder: Path, sender: NoticeSender) -> None:
        self.client, self.folder, self.sender = client, folder, sender

    @activity.defn
    async def list_incident_page(self, month: str, page_token: str | None) -> Page:
        """One page of the incidents that may have been first detected in the trend's months."""
        listing = self.client.list_workflows(
            incidents_since(trend_start(month, TREND_MONTHS)), page_size=PAGE_SIZE,
            next_page_token=base64.b64decode(page_token) if page_token else None)
        await listing.fetch_next_page()
        refs = [IncidentRef(workflow_id=e.id, run_id=e.run_id,
                            running=e.status == WorkflowExecutionStatus.RUNNING)
                for e in listing.current_page or []]
        token = listing.next_page_token
        return Page(incidents=refs,
                    next_page_token=base64.b64encode(token).decode("ascii") if token else None)

    @activity.defn
    async def compute_page(self, month: str, page: Page) -> PagePart:
        found = await asyncio.gather(*(status_of(self.client, r.workflow_id, r.run_id, r.running)
                                       for r in page.incidents))
        statuses = [s for s in found if s is not None]
        now = datetime.now(timezone.utc)
        months = previous_months(month, TREND_MONTHS)
        return PagePart(month=compute(statuses, month, now),
                        trend=[headline(compute(statuses, m, now)) for m in months[:-1]])

    @activity.defn
    def issue_bulletin(self, month: str, parts: list[PagePart]) -> BulletinIssued:
        now = datetime.now(timezone.utc)
        bulletin = merge(month, [p.month for p in parts], now)
        months = previous_months(month, TREND_MONTHS)[:-1]
        trend = [merge(m, [p.trend[i] for p in parts], now) for i, m in enumerate(months)]
        files = bulletin_files.write(bulletin, [*trend, headline(bulletin)], self.folder)
        totals = headline(bulletin).units
        rate = totals[0].completion_rate if totals else 0.0
        i = bulletin.incidents
        notice = Notification(
            key=f"bulletin:{month}", incident_id=f"bulletin-{month}", kind="bulletin",
            recipients=BULLETIN_RECEIVERS, subject=f"【月度通报】{month} 网络政务舆情交办督办情况",
            body=f"{month}：舆情 {i.reported} 件，已结束 {i.closed} 件，办理中 {i.open} 件；"
                 f"办结率 {rate:.0%}。通报文件：{self.folder}")
        # one round through the configured channels (this runs in a thread of its own);
        # the outbox keeps the notice whatever the channels answer
        asyncio.run(self.sender.deliver("notifications", notice, notice.model_dump(mode="json"),
                                        attempt=self.sender.settings.attempts))
        return BulletinIssued(month=month, files=[str(f) for f in files], reported=i.reported,
                              closed=i.closed, completion_rate=rate)
