"""The example of docs/architecture.md ("A new window"), quoted there verbatim: a 12-hour
核实 (W-VERIFY) for major emergencies in a copy of the Nantong profile, met when the 会商研判
records its outcome. Only the entry and its function are new; the fixture puts the copy
where every incident looks its profile up, for one test. tests/domain/test_new_window.py
drives it through the procedure, tests/workflows/test_new_window_scenario.py through the
workflow on the time-skipping server.
"""

import pytest

from domain.messages import Message, RecordConsultation
from domain.profiles import NANTONG_2017, PROFILES, Applicability, statutory
from domain.status import Window


# example: a new window ------------------------------------------------------------------
def consulted(window: Window, message: Message) -> bool:
    """核实: the 会商研判 has recorded its 研判意见, so the facts are verified."""
    return isinstance(message, RecordConsultation)


VERIFY = statutory("W-VERIFY", 12, Applicability.MAJOR_EMERGENCY, "示例（非法规原文）",
                   "示例：重大突发事件，12小时内会商核实", label="核实",
                   met_by=(consulted,), climbs=True)
NANTONG_VERIFYING = NANTONG_2017.model_copy(
    update={"statutory_windows": (*NANTONG_2017.statutory_windows, VERIFY)})


@pytest.fixture
def verifying(monkeypatch: pytest.MonkeyPatch) -> None:
    """For one test, nantong-2017 incidents run under the copy: it stands in ``PROFILES``,
    where each incident finds its profile by name at every step (reloaded or in the
    workflow alike)."""
    monkeypatch.setitem(PROFILES, NANTONG_VERIFYING.name, NANTONG_VERIFYING)
# end of example --------------------------------------------------------------------------
