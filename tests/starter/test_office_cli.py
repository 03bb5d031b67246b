"""`yuqing overdue` (starter/office_cli.py): the rows it lists, from statuses alone."""

from starter.office_cli import overdue_rows
from tests.domain.procedure.drive import at, expire, reported, send


def test_yuqing_overdue_lists_the_offices_misses_too():
    late, _ = reported(analysed=False, rules_version=3)
    send(late, "analyze", 50, category="R2", severity="一般",
         units=[{"unit_id": "u1", "name": "住建局", "lead": True}])
    expire(late, "W-RESP")
    rows = overdue_rows([late.status], at(60))
    assert [(r["unit_id"], r["window"]) for r in rows] == [("office", "W-RESP")]
