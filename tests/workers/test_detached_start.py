"""workers.detached_start: a run keeps copies, never parts of its first activation (no server)."""

import dataclasses
import types
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from google.protobuf.message import Message as Proto
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.api.failure.v1 import Failure
from temporalio.common import Priority, RawValue, TypedSearchAttributes
from temporalio.converter import DefaultFailureConverter
from temporalio.worker import (
    ExecuteWorkflowInput, UnsandboxedWorkflowRunner, WorkflowInboundInterceptor,
    WorkflowInstanceDetails,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner
from temporalio.workflow import Info

from workers.detached_start import (
    COPIED, DetachedInput, DetachedStartRunner, DetachedStartSandboxedRunner, detached,
    detached_details, detached_value,
)
from temporal.data_converter import DATA_CONVERTER

# what the SDK keeps for a run's life: the details it creates the run with (and their info),
# and the input it runs the workflow with
KEPT_BY_THE_SDK = (Info, WorkflowInstanceDetails, ExecuteWorkflowInput)


def may_hold_protobuf(hint: Any) -> bool:
    """A protobuf message type, a ``RawValue`` (it holds a ``Payload``) or ``Any`` (a message
    fits it), alone, optional, in a collection or as a mapping's value."""
    if hint is Any:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is None:
        return isinstance(hint, type) and issubclass(hint, (Proto, RawValue))
    if origin in (typing.Union, types.UnionType):
        return any(map(may_hold_protobuf, args))
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return may_hold_protobuf(args[-1])
    if isinstance(origin, type) and issubclass(origin, Collection):
        return any(may_hold_protobuf(arg) for arg in args if arg is not Ellipsis)
    return False  # a callable, a class: no message held


def protobuf_fields(cls: type) -> set[str]:
    hints = typing.get_type_hints(cls)
    return {field.name for field in dataclasses.fields(cls) if may_hold_protobuf(hints[field.name])}


def test_what_is_copied_is_named_for_the_classes_the_sdk_keeps():
    assert set(COPIED) == set(KEPT_BY_THE_SDK)


@pytest.mark.parametrize("kept", KEPT_BY_THE_SDK, ids=lambda cls: cls.__name__)
def test_every_field_the_sdk_keeps_protobuf_messages_in_is_copied(kept):
    """A release that adds such a field fails here, naming it: until detached_start copies
    it, each cached run keeps its first activation again (some 14 KB, docs/scaling.md)."""
    found, copied = protobuf_fields(kept), set(COPIED[kept])

    def named(fields: set[str]) -> str:
        return ", ".join(f"{kept.__name__}.{name}" for name in sorted(fields))
    assert not found - copied, (f"the SDK now keeps protobuf messages in {named(found - copied)}:"
                                " add it to workers.detached_start.COPIED")
    assert not copied - found, (f"{named(copied - found)} no longer holds protobuf messages:"
                                " take it out of workers.detached_start.COPIED")


def test_the_field_check_sees_a_message_wherever_a_field_can_hold_one():
    @dataclasses.dataclass
    class Released:
        plain: int
        callback: Callable[..., Any]
        message: Payload
        optional: Failure | None
        listed: Sequence[Payload]
        mapped: Mapping[str, Payloads]
        anything: Sequence[Any]
        names: Mapping[str, str]
        raw: RawValue
        raw_optional: RawValue | None
        raw_listed: Sequence[RawValue]
        raw_mapped: Mapping[str, RawValue]

    assert protobuf_fields(Released) == {
        "message", "optional", "listed", "mapped", "anything",
        "raw", "raw_optional", "raw_listed", "raw_mapped"}


def test_a_copy_is_equal_and_its_own():
    results = Payloads(payloads=DATA_CONVERTER.payload_converter.to_payloads([{"标题": "测试"}]))
    copy = detached(results)
    assert copy == results and copy is not results
    results.payloads[0].data = b"changed"
    assert copy.payloads[0].data != b"changed"
    assert detached(None) is None


def test_messages_in_maps_lists_and_raw_values_become_copies():
    headers = {"trace": Payload(data=b"t")}
    copies = detached_value(headers)
    assert copies == headers and copies["trace"] is not headers["trace"]
    start = RawValue(Payload(data=b"s"))
    [copy, other] = detached_value([start, 7])
    assert copy.payload == start.payload and copy.payload is not start.payload and other == 7
    assert detached_value("text") == "text" and detached_value(None) is None


def assert_copied(original: Any, copy: Any) -> None:
    """Equal, and no protobuf message in the copy is the original's."""
    assert copy == original
    if isinstance(original, Proto):
        assert copy is not original
    elif isinstance(original, RawValue):
        assert_copied(original.payload, copy.payload)
    elif isinstance(original, Mapping):
        for key in original:
            assert_copied(original[key], copy[key])
    elif isinstance(original, (list, tuple)):
        for item, copied in zip(original, copy, strict=True):
            assert_copied(item, copied)


def details(last_failure: Failure | None, info_class: type[Info] = Info,
            details_class: type[WorkflowInstanceDetails] = WorkflowInstanceDetails,
            ) -> WorkflowInstanceDetails:
    """Details as the SDK builds them for a run's first activation, every protobuf part set."""
    now = datetime(2026, 12, 6, tzinfo=timezone.utc)
    info = info_class(
        attempt=1, continued_run_id=None, cron_schedule=None, execution_timeout=None,
        first_execution_run_id="run", headers={"trace": Payload(data=b"h")}, namespace="default",
        original_execution_run_id="run", parent=None, root=None, priority=Priority.default,
        raw_memo={"note": Payload(data=b"m")}, retry_policy=None, run_id="run",
        run_timeout=None, search_attributes={}, start_time=now, task_queue="yuqing",
        task_timeout=timedelta(seconds=10), typed_search_attributes=TypedSearchAttributes.empty,
        workflow_id="incident-1", workflow_start_time=now, workflow_type="IncidentWorkflow")
    return details_class(
        payload_converter_factory=lambda: DATA_CONVERTER.payload_converter,
        failure_converter_class=DefaultFailureConverter, interceptor_classes=[],
        defn=None, info=info, randomness_seed=7, extern_functions={},  # defn: not read here
        disable_eager_activity_execution=False, worker_level_failure_exception_types=[],
        patch_activation_callback=None,
        last_completion_result=Payloads(payloads=[Payload(data=b"last")]),
        last_failure=last_failure)


def assert_detached(original: WorkflowInstanceDetails, copy: WorkflowInstanceDetails) -> None:
    for name in COPIED[Info]:
        assert_copied(getattr(original.info, name), getattr(copy.info, name))
    for name in COPIED[WorkflowInstanceDetails]:
        assert_copied(getattr(original, name), getattr(copy, name))
    assert copy.info == original.info and copy == dataclasses.replace(original, info=copy.info)


@pytest.mark.parametrize("failure", [Failure(message="失败"), None], ids=["failed", "not-failed"])
def test_the_details_hold_copies_and_the_originals_stay_as_they_were(failure):
    original = details(failure)
    headers = original.info.headers["trace"]
    copy = detached_details(original)
    assert_detached(original, copy)
    assert original.info.headers["trace"] is headers  # the SDK's own details are not edited
    assert copy.defn is original.defn and copy.randomness_seed == 7  # the rest as given


class LaterInfo(Info):
    """What a later SDK may hand: a subclass of a class it keeps."""


class LaterDetails(WorkflowInstanceDetails):
    pass


def test_subclasses_of_what_the_sdk_keeps_are_copied_as_their_base():
    original = details(Failure(message="失败"), LaterInfo, LaterDetails)
    copy = detached_details(original)
    assert type(copy) is LaterDetails and type(copy.info) is LaterInfo
    assert_detached(original, copy)


@pytest.mark.parametrize("runner, sdk_runner", [
    (DetachedStartRunner, UnsandboxedWorkflowRunner),
    (DetachedStartSandboxedRunner, SandboxedWorkflowRunner),
])
def test_each_runner_creates_the_run_with_copies(runner, sdk_runner, monkeypatch):
    created: list[WorkflowInstanceDetails] = []
    monkeypatch.setattr(sdk_runner, "create_instance", lambda self, det: created.append(det))
    original = details(Failure(message="失败"))
    runner().create_instance(original)
    [given] = created
    assert_detached(original, given)


class Recorded(WorkflowInboundInterceptor):
    def __init__(self) -> None:
        self.seen: ExecuteWorkflowInput | None = None

    async def execute_workflow(self, input: ExecuteWorkflowInput):
        self.seen = input
        return "ran"


async def test_the_workflow_runs_with_copies_of_its_input():
    start = Payload(metadata={"encoding": b"json/plain"}, data=b'{"title": "x"}')
    header = Payload(data=b"h")
    decoded = {"标题": "测试"}  # an argument the SDK decoded: the workflow's own, not copied
    given = ExecuteWorkflowInput(type=object, run_fn=None, args=[RawValue(start), 7, decoded],
                                 headers={"h": header})
    inner = Recorded()
    assert await DetachedInput(inner).execute_workflow(given) == "ran"
    assert inner.seen is given  # the input the SDK keeps now holds the copies
    assert given.args[0].payload == start and given.args[0].payload is not start
    assert given.args[1] == 7 and given.args[2] is decoded
    assert given.headers == {"h": header} and given.headers["h"] is not header


class LaterInput(ExecuteWorkflowInput):
    pass


async def test_a_subclass_of_the_workflow_input_is_copied_as_its_base():
    start = Payload(data=b"s")
    given = LaterInput(type=object, run_fn=None, args=[RawValue(start)], headers={})
    assert await DetachedInput(Recorded()).execute_workflow(given) == "ran"
    assert given.args[0].payload == start and given.args[0].payload is not start
