"""workers.detached_start: a run keeps copies, never parts of its first activation (no server)."""

from temporalio.api.common.v1 import Payload, Payloads
from temporalio.common import RawValue
from temporalio.worker import ExecuteWorkflowInput, WorkflowInboundInterceptor

from workers.detached_start import DetachedInput, detached, detached_map
from temporal.data_converter import DATA_CONVERTER


def test_a_copy_is_equal_and_its_own():
    results = Payloads(payloads=DATA_CONVERTER.payload_converter.to_payloads([{"标题": "测试"}]))
    copy = detached(results)
    assert copy == results and copy is not results
    results.payloads[0].data = b"changed"
    assert copy.payloads[0].data != b"changed"
    assert detached(None) is None


def test_maps_of_messages_become_dicts_of_copies():
    headers = {"trace": Payload(data=b"t")}
    copies = detached_map(headers)
    assert copies == headers and copies["trace"] is not headers["trace"]


class Recorded(WorkflowInboundInterceptor):
    def __init__(self) -> None:
        self.seen: ExecuteWorkflowInput | None = None

    async def execute_workflow(self, input: ExecuteWorkflowInput):
        self.seen = input
        return "ran"


async def test_the_workflow_runs_with_copies_of_its_input():
    start = Payload(metadata={"encoding": b"json/plain"}, data=b'{"title": "x"}')
    header = Payload(data=b"h")
    given = ExecuteWorkflowInput(type=object, run_fn=None, args=[RawValue(start), 7],
                                 headers={"h": header})
    inner = Recorded()
    assert await DetachedInput(inner).execute_workflow(given) == "ran"
    assert inner.seen is given  # the input the SDK keeps now holds the copies
    assert given.args[0].payload == start and given.args[0].payload is not start
    assert given.args[1] == 7
    assert given.headers == {"h": header} and given.headers["h"] is not header
