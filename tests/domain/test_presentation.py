"""The UI's current details: Chinese, at a glance (stage, units, windows, refusals)."""

from datetime import timedelta

from tests.domain.builders import DETECTED, incident

from domain.current_details import render_current_details
from domain.presentation import time_left
from domain.profiles import profile_for
from domain.status import RejectedInput
from domain.windows import plan_windows, reconcile_windows


def test_time_left_and_overdue():
    assert time_left(DETECTED + timedelta(hours=2, minutes=5), DETECTED) == "剩余 2小时05分"
    assert time_left(DETECTED, DETECTED + timedelta(minutes=90)) == "已超期 1小时30分"


def test_current_details_show_units_windows_and_refusals():
    status = incident(units=("nt-zjj",))
    reconcile_windows(status, plan_windows(profile_for(status.profile), status), DETECTED, "x")
    status.rejected_inputs.append(RejectedInput(at=DETECTED, message="acknowledge",
                                                reason="未知单位 nt-zjx"))
    text = render_current_details(status, DETECTED + timedelta(hours=1))
    assert text.startswith("## 状态：进行中 · 研判")
    assert "W-ACK 签收回传交办单" in text and "本地默认" in text
    assert "W-RESP 予以回应" in text and "写入时剩余 47小时00分" in text
    assert "`acknowledge`：未知单位 nt-zjx" in text
    assert "写于 2026-11-21 10:00 北京时间" in text
    assert "|" not in text  # lists, not tables: the UI runs table cells together


def test_validation_problems_are_described_in_chinese_first():
    from pydantic import ValidationError

    from domain.messages import RecordResponse
    from domain.presentation import describe_validation_error

    try:
        RecordResponse.model_validate({"actor": " ", "unit_id": 3, "channel": "微博",
                                       "summary": "已回复", "published_at": "2026-11-21T09:00"})
    except ValidationError as error:
        text = describe_validation_error(error)
    assert text.split("；") == [
        "actor：不能为空 (must not be blank)",
        "unit_id：须为文本 (Input should be a valid string)",
        "channel：取值无效 (Input should be 'facts_release', 'authoritative_release', "
        "'press_conference', 'briefing', 'media_interview', 'expert_interpretation' or "
        "'platform_reply')",
        "published_at：须带时区，如 +08:00 (Input should have timezone info)",
    ]
