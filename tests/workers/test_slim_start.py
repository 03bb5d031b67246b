"""workers.slim_start: each run gets a slim copy of its first activation (no server)."""

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.converter import encode_search_attribute_values

from workers.data_converter import DATA_CONVERTER
from workers.slim_start import NOT_KEPT, slim_first_activation


def first_activation() -> WorkflowActivation:
    act = WorkflowActivation(run_id="r")
    start = act.jobs.add().initialize_workflow
    start.workflow_type, start.workflow_id = "IncidentWorkflow", "incident-x"
    start.arguments.extend(DATA_CONVERTER.payload_converter.to_payloads([{"title": "测试"}]))
    start.headers["trace"].data = b"t"
    start.search_attributes.indexed_fields["IncidentStage"].CopyFrom(
        encode_search_attribute_values(["assignment"]))
    start.memo.fields["note"].data = b"m"
    signal = act.jobs.add().signal_workflow
    signal.signal_name = "add_report"
    signal.input.extend(DATA_CONVERTER.payload_converter.to_payloads([{"actor": "网信办"}]))
    return act


def test_the_run_keeps_its_input_headers_and_other_jobs():
    act = first_activation()
    slim = slim_first_activation(act)
    start, original = slim.jobs[0].initialize_workflow, act.jobs[0].initialize_workflow
    assert start.arguments == original.arguments and start.headers == original.headers
    assert start.workflow_id == "incident-x" and slim.jobs[1] == act.jobs[1]
    assert slim.run_id == "r"


def test_what_only_built_workflow_info_is_left_out():
    act = first_activation()
    slim = slim_first_activation(act)
    for name in NOT_KEPT:
        assert not slim.jobs[0].initialize_workflow.HasField(name)
    assert act.jobs[0].initialize_workflow.HasField("search_attributes")  # the SDK's own copy
    assert slim.ByteSize() < act.ByteSize()
