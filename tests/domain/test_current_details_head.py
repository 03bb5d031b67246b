"""The top of the incident page (当前详情页首, domain/current_details_head.py); the page around
it is tested in test_current_details.py."""

from domain.current_details_head import overdue_by
from tests.domain.procedure.drive import at


def test_overdue_by_reads_days_and_hours():
    assert overdue_by(at(0), at(316)) == "13天4小时"
    assert overdue_by(at(0), at(0.75)) == "0小时45分"
