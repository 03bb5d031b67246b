"""A new message, as docs/architecture.md says to add one, and every step it lists.

The example of docs/architecture.md ("A new message"): ``record_hearing`` (听证记录), a unit
records a hearing (听证会) it held on the matter, in the handling paragraph. First it is
registered for these tests only (nothing global is edited) and driven through the registry
and the intake without a server: accepted with its effects, or refused with its reason and
nothing changed. Then the documented steps are carried out in a copy of the repository, the
commands run as the document writes them, and every check they name must pass there.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import Field

from domain import roster
from domain.engine import intake, registry
from domain.engine.step import Context, Deliver, IncidentState, Refusal, Step
from domain.fields import Moment, Text
from domain.messages import UnitMessage
from domain.presentation import local_time
from domain.procedure.assignment import active_assignment
from domain.procedure.collection import CLOCK_SKEW
from domain.procedure.handling import RESPONDING
from tests.domain.procedure.drive import ACTOR, at, context, refused, reported, send, timeline

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"


# example: a new message, in domain/messages.py ------------------------------------------
class RecordHearing(UnitMessage):
    """听证记录 record a hearing the unit held on the matter"""

    held_at: Moment = Field(description="听证会召开时间（须带时区）")
    summary: Text = Field(description="听证情况")
# end of example --------------------------------------------------------------------------


# example: its check and step, in domain/procedure/handling.py ----------------------------
def check_record_hearing(state: IncidentState, message: RecordHearing, ctx: Context) -> None:
    active_assignment(state.status, message.unit_id, *RESPONDING)
    if message.held_at > ctx.now + CLOCK_SKEW:
        raise Refusal("held_at 晚于当前时间 (held_at is in the future)")


def apply_record_hearing(step: Step, message: RecordHearing) -> None:
    step.record(message.actor, "record_hearing",
                f"听证会 {local_time(message.held_at)}（北京时间）：{message.summary}",
                unit_id=message.unit_id)
    step.notify_active_units("hearing", "听证记录", f"单位{message.unit_id}：{message.summary}")
# end of example --------------------------------------------------------------------------


HEARING = {"unit_id": "u1", "held_at": at(1).isoformat(), "summary": "已召开听证会，听取居民意见"}


@pytest.fixture
def registered(monkeypatch):
    """The example as the registry and the roster take it, for one test: this module stands
    in for its paragraph, so the registry finds ``check_``/``apply_record_hearing`` by name."""
    spec = registry.message_spec(sys.modules[__name__], RecordHearing)
    monkeypatch.setitem(registry.MESSAGES, spec.name, spec)
    monkeypatch.setattr(roster, "UNIT_MESSAGES", roster.UNIT_MESSAGES | {spec.name})
    return spec


def test_the_registry_names_describes_and_finds_its_check_and_step(registered):
    assert registered.name == "record_hearing"
    assert (registered.check, registered.apply) == (check_record_hearing, apply_record_hearing)
    assert registered.description == ("听证记录 record a hearing the unit held on the matter: "
                                      "{actor, unit_id, held_at, summary, message_id?}")


def test_taken_it_is_recorded_and_told_to_the_units(registered):
    state, _ = reported(units=("u1", "u2"))
    effects = send(state, "record_hearing", 2, **HEARING)
    [entry] = timeline(state, "record_hearing")
    assert (entry.unit_id, entry.at, entry.actor) == ("u1", at(2), ACTOR)
    assert entry.detail == f"听证会 {local_time(at(1))}（北京时间）：已召开听证会，听取居民意见"
    [notice] = [e.payload for e in effects if isinstance(e, Deliver)]
    assert (notice.kind, notice.subject, [r.recipient_id for r in notice.recipients]) == (
        "hearing", "【听证记录】某小区电梯频繁故障", ["u1", "u2"])


def test_as_an_update_it_gets_a_receipt_and_a_retry_changes_nothing(registered):
    """Through the intake, as the workflow takes it: exactly once by its message_id."""
    state, _ = reported()
    payload = {**HEARING, "actor": ACTOR, "message_id": "hearing-1"}
    taken = intake.take(state, "record_hearing", (payload,), context(2), update=True)
    assert taken.refusal is None and taken.effects
    assert [e.action for e in taken.receipt.effects] == ["record_hearing"]
    again = intake.take(state, "record_hearing", (payload,), context(3), update=True)
    assert again.repeated and not again.effects and len(timeline(state, "record_hearing")) == 1


@pytest.mark.parametrize("fields, reason", [
    ({**HEARING, "held_at": at(5).isoformat()}, "held_at 晚于当前时间 (held_at is in the future)"),
    ({**HEARING, "unit_id": "u9"}, "未知单位 u9："),
    ({**HEARING, "held_at": "2026-11-21T10:00:00"}, "held_at：须带时区，如 +08:00 ("),
    ({"unit_id": "u1", "held_at": at(1).isoformat()}, "summary：缺少必填字段 (required)"),
    ({**HEARING, "venue": "区政府"}, "venue：未知字段，请检查拼写 (unknown field)"),
], ids=["future", "unknown-unit", "naive-time", "missing-summary", "unknown-field"])
def test_refused_with_its_reason_and_nothing_changed(registered, fields, reason):
    state, _ = reported()
    assert refused(state, "record_hearing", 2, **fields).startswith(reason)


def test_the_roster_decides_who_may_send_it(registered):
    state, _ = reported()
    state.status.roster = roster.Roster(units={"u1": ["wangwu@zjj.example.gov.cn"]})
    assert refused(state, "record_hearing", 2, **HEARING).startswith(
        f"操作人「{ACTOR}」不在单位 u1 的名册中")
    registry.take(state, "record_hearing",
                  ({**HEARING, "actor": "wangwu@zjj.example.gov.cn"},), context(2))
    assert timeline(state, "record_hearing")


def test_without_its_roster_step_no_one_may_send_it(registered, monkeypatch):
    """Step 4 forgotten: the message is in no roster list, so it is refused from everyone,
    even without a roster (fail closed), and nothing changes."""
    monkeypatch.setattr(roster, "UNIT_MESSAGES", roster.UNIT_MESSAGES - {"record_hearing"})
    state, _ = reported()
    assert refused(state, "record_hearing", 2, **HEARING).startswith(
        "未规定谁可发送 record_hearing（名册规则未列出该消息），已拒绝")


def test_a_closed_incident_refuses_it(registered):
    state, _ = reported(category="R4")
    send(state, "withdraw", 1, reason="重复交办")
    assert refused(state, "record_hearing", 2, **HEARING) == "事件已撤销，不再接受消息"


def test_nothing_global_learnt_of_it():
    """Registered only inside the tests above: the product's source never names it."""
    assert "record_hearing" not in registry.MESSAGES
    assert "record_hearing" not in roster.UNIT_MESSAGES
    product = [p for folder in ("domain", "workflows", "workers", "activities", "starter",
                                "scripts", "examples") for p in (ROOT / folder).rglob("*.*")]
    assert product and not [p for p in product if p.suffix in {".py", ".json", ".md"}
                            and "record_hearing" in p.read_text(encoding="utf-8")]


# ------------------------------------------------------------ the documented steps

def examples() -> dict[str, str]:
    """The example blocks of this file, by the file the document puts each in."""
    source = Path(__file__).read_text(encoding="utf-8")
    return {path: code.strip() + "\n" for path, code in re.findall(
        r"# example: [^\n]*?, in (\S+) -+\n(.*?)# end of example", source, re.S)}


def section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split("**A new message**", 1)[1].split("**A new window**", 1)[0]


def inserted(text: str, anchor: str, addition: str, within: str = "") -> str:
    """``addition`` right after ``anchor``, which must be there exactly once (in the list that
    starts with ``within``, when given)."""
    head, found, rest = text.partition(within) if within else ("", "", text)
    assert found == within, f"{within!r} is not there: the step needs rewriting"
    part, bracket, tail = rest.partition("]") if within else (rest, "", "")
    assert part.count(anchor) == 1, f"{anchor!r} is not there once: the step needs rewriting"
    return head + within + part.replace(anchor, anchor + addition) + bracket + tail


def appended(code: str):
    return lambda text: text.rstrip("\n") + "\n\n\n" + code


def imports_the_model(text: str) -> str:
    line = re.search(r"^from domain\.messages import (.+)$", text, re.M)
    assert line, "the paragraph imports no message model"
    names = sorted({*line.group(1).split(", "), "RecordHearing"})
    return text.replace(line.group(0), f"from domain.messages import {', '.join(names)}")


# The step's own test, beside the paragraph's others (its driver is imported there already).
STEP_TEST = '''def test_a_hearing_is_recorded():
    state, _ = reported()
    send(state, "record_hearing", 2, unit_id="u1", held_at=at(1).isoformat(), summary="已听证")
    assert [t.unit_id for t in timeline(state, "record_hearing")] == ["u1"]
'''


def steps() -> dict[str, object]:
    """What each documented step does to the file it names, in the document's order."""
    code = examples()
    return {
        "domain/messages.py": appended(code["domain/messages.py"]),
        "domain/procedure/handling.py": lambda t: appended(code["domain/procedure/handling.py"])(
            imports_the_model(t)),
        "domain/engine/registry.py": lambda t: inserted(t, "m.RecordResponse", ", m.RecordHearing"),
        "domain/roster.py": lambda t: inserted(t, "UNIT_MESSAGES = frozenset({", '"record_hearing", '),
        "examples/messages/record_hearing.json": lambda _: json.dumps(
            {**HEARING, "unit_id": "nt-zjj", "actor": "住建局 王五"}, ensure_ascii=False, indent=2),
        "tests/domain/engine/test_registry.py": lambda t: inserted(inserted(inserted(
            t, '"record_response", ', '"record_hearing", ', within="CONTRACT = ["),
            '"record_response": handling,', ' "record_hearing": handling,'),
            "WELL_FORMED: dict[str, dict[str, Any]] = {\n",
            f"    \"record_hearing\": {{\"unit_id\": \"u1\", \"held_at\": at(1).isoformat(), "
            f"\"summary\": \"已听证\"}},\n"),
        "tests/domain/procedure/test_handling.py": appended(STEP_TEST),
    }


# Written by the document's commands, not by hand.
GENERATED = ["workflows/incident.py", "README.md"]


def copy_of_the_repository(into: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    return into


def test_docs_quote_the_example_verbatim():
    code = examples()
    assert list(code) == ["domain/messages.py", "domain/procedure/handling.py"]
    assert all(block.strip() in section() for block in code.values())


def test_the_documented_steps_name_every_file_a_new_message_changes():
    documented = re.findall(r"^\d+\. `([^`]+)`", section(), re.M)
    assert documented == [*steps(), *GENERATED]


@pytest.mark.timeout(300)
def test_following_the_documented_steps_passes_every_check_they_name(tmp_path):
    """Steps 1–9 in a copy of the repository, then the document's commands as written: the
    scripts write the declarations and the README, and the tests they name all pass, among
    them the real server's list of signals and updates and the step's own test."""
    copy = copy_of_the_repository(tmp_path / "repo")
    for name, step in steps().items():
        path = copy / name
        path.write_text(step(path.read_text(encoding="utf-8") if path.exists() else ""),
                        encoding="utf-8")
    commands = re.search(r"```sh\n(.*?)```", section(), re.S)
    assert commands
    for command in commands.group(1).strip().splitlines():
        assert command.startswith(".venv/bin/python "), command
        argv = [sys.executable, *command.split()[1:]]
        if "pytest" in argv:
            argv += ["-p", "no:cacheprovider"]
        run = subprocess.run(argv, cwd=copy, capture_output=True, text=True)
        assert run.returncode == 0, f"{command}\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
    for name in GENERATED:
        assert "record_hearing" in (copy / name).read_text(encoding="utf-8"), name
        assert "record_hearing" not in (ROOT / name).read_text(encoding="utf-8"), name
