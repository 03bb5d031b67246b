"""temporal/refusals.py: a refusal answers as an error a backend can tell from a fault."""

import pytest
from temporalio.exceptions import ApplicationError

from domain.engine.step import Refusal
from domain.messages import MESSAGE_REFUSED
from temporal.refusals import INVALID_START, refused, refused_start


def test_a_refused_start_fails_the_workflow_for_good_with_its_reason():
    with pytest.raises(ApplicationError) as raised, refused_start():
        raise Refusal("缺少标题 (title missing)")
    assert (raised.value.type, raised.value.non_retryable) == (INVALID_START, True)
    assert raised.value.message == "缺少标题 (title missing)"
    assert raised.value.__cause__ is None  # the domain's exception stays out of the failure


def test_only_a_refusal_is_turned_into_a_refused_start():
    with pytest.raises(KeyError), refused_start():
        raise KeyError("a fault, not a refusal")


def test_a_refused_update_answers_with_the_contracts_error_type():
    error = refused(Refusal("未交办该单位"))
    assert (error.type, error.non_retryable, error.message) == (MESSAGE_REFUSED, True, "未交办该单位")
