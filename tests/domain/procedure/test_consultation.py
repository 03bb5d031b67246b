"""会商研判 per profile (004 三(一); 001 一(二)1; 003 二(七)) and its recorded outcome."""

import pytest

from tests.domain.procedure.drive import deliveries, refused, reported, send, timeline

NANTONG = ["市政府办公室", "市网信办", "市公安局", "市监察局", "市应急办", "市信访局"]
LIUZHOU = ["市人民政府办公室", "市互联网信息办公室", "市政务服务监督管理办公室"]


@pytest.mark.parametrize("profile, members, statutory", [
    ("nantong-2017", NANTONG, True),
    ("liuzhou-2017", [*LIUZHOU, "单位u1", "单位u2"], True),  # with the units involved
    ("national-2016", ["本级政府办公厅（室）", "新闻宣传部门", "互联网信息内容主管部门",
                       "单位u1", "单位u2"], False),  # no list in the notice: a local default
])
def test_a_major_case_calls_the_profiles_consultation(profile, members, statutory):
    state, effects = reported(profile=profile, severity="重大", units=("u1", "u2"))
    [notice] = deliveries(effects, "joint_consultation")
    assert [r.name for r in notice.recipients] == members
    consultation = state.status.consultation
    assert (consultation.members, consultation.statutory) == (members, statutory)
    [entry] = timeline(state, "joint_consultation")
    assert entry.local_default is not statutory
    assert ("本地默认" in entry.detail) is not statutory


def test_the_consultation_is_called_once_even_if_the_case_is_raised_again():
    state, _ = reported(severity="重大")
    send(state, "analyze", 1, severity="一般")
    effects = send(state, "analyze", 2, severity="特别重大")
    assert deliveries(effects, "joint_consultation") == []
    assert len(timeline(state, "joint_consultation")) == 1


def test_the_outcome_is_recorded_and_sent_to_the_units():
    state, _ = reported(severity="重大")
    effects = send(state, "record_consultation", 3, assessment="舆情走势平稳",
                   measures="住建局24小时内发布权威信息")
    consultation = state.status.consultation
    assert (consultation.assessment, consultation.measures) == ("舆情走势平稳",
                                                                 "住建局24小时内发布权威信息")
    assert consultation.concluded_by and consultation.concluded_at
    [notice] = deliveries(effects, "consultation_outcome")
    assert [r.recipient_id for r in notice.recipients] == ["u1"]
    [entry] = timeline(state, "record_consultation")
    assert entry.detail == "会商研判意见：舆情走势平稳；预控处置意见：住建局24小时内发布权威信息"


def test_no_outcome_without_a_consultation():
    state, _ = reported()
    assert "未启动会商研判" in refused(state, "record_consultation", 1, assessment="无",
                                      measures="无")
