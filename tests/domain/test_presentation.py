"""The UI's current details: Chinese, at a glance (stage, units, windows, refusals)."""

from datetime import timedelta

from builders import DETECTED, incident

from domain.presentation import render_current_details, time_left
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
    assert "**阶段** 研判" in text
    assert "| nt-zjj | 待签收 |" in text
    assert "W-ACK 签收回传交办单" in text and "本地默认" in text
    assert "W-RESP 予以回应" in text and "剩余 47小时00分" in text
    assert "`acknowledge`：未知单位 nt-zjx" in text
    assert text.endswith("更新于 11-21 10:00，剩余时间以此刻计_")
