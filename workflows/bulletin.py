"""BulletinWorkflow: the monthly 通报, issued by a Temporal Schedule on the 1st at 09:00
Beijing time for the month before (004 二(六)); a missed month is backfilled the same way.

The incidents are listed page by page; each page is computed by its own activity, so
the work spreads across workers; the workflow merges the pages and issues the files.
"""

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from activities.bulletin import BulletinActivities, BulletinIssued, Page, PagePart
    from domain.bulletin import merge
    from domain.presentation import BEIJING

BULLETIN_SCHEDULE_ID = "yuqing-bulletin"
SCHEDULED_AT = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
RETRY = RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10)


def previous_month(moment: datetime) -> str:
    first = moment.astimezone(BEIJING).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


@workflow.defn(name="BulletinWorkflow")
class BulletinWorkflow:
    @workflow.run
    async def run(self, month: str | None = None) -> BulletinIssued:
        # A scheduled (or backfilled) run reports on the month before its scheduled time.
        when = workflow.info().typed_search_attributes.get(SCHEDULED_AT) or workflow.now()
        month = month or previous_month(when)
        parts, token = [], None
        seen: set[str] = set()
        while True:
            page: Page = await workflow.execute_activity_method(
                BulletinActivities.list_incident_page, args=[month, token],
                start_to_close_timeout=timedelta(minutes=5), retry_policy=RETRY,
                summary=f"列出 {month} 的舆情事件")
            # An incident listed twice (it continued as new, or moved between pages) counts once.
            fresh = [ref for ref in page.incidents if ref.workflow_id not in seen]
            seen.update(ref.workflow_id for ref in fresh)
            page = page.model_copy(update={"incidents": fresh})
            parts.append(workflow.start_activity_method(
                BulletinActivities.compute_page, args=[month, page],
                start_to_close_timeout=timedelta(minutes=10), retry_policy=RETRY,
                summary=f"统计 {len(page.incidents)} 件"))
            token = page.next_page_token
            if not token:
                break
        results: list[PagePart] = [await part for part in parts]
        # Merged here, page by page, so the issuing activity gets one small part.
        now = workflow.now()
        whole = PagePart(month=merge(month, [r.month for r in results], now),
                         trend=[merge(t.month, [r.trend[i] for r in results], now)
                                for i, t in enumerate(results[0].trend)] if results else [])
        return await workflow.execute_activity_method(
            BulletinActivities.issue_bulletin, args=[month, [whole]],
            start_to_close_timeout=timedelta(minutes=10), retry_policy=RETRY,
            summary=f"印发 {month} 月度通报")
