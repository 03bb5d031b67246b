"""`yuqing whatif` (starter/whatif_cli.py): a bad `--set` refused in one line, the three
files written from an archive."""

import json
from pathlib import Path

from temporalio.client import WorkflowHistory

from activities.archive import HistoryArchive
from tests.runtime.cli_helpers import cli_env, run_yuqing

HISTORIES = Path(__file__).resolve().parents[1] / "histories"


def test_the_command_refuses_a_bad_setting_with_one_line_and_exit_2(tmp_path):
    result = run_yuqing("whatif", "--month", "2026-11", "--from-archive", str(tmp_path),
                        "--set", "ack_hours=0", "--out", str(tmp_path / "out"), env=cli_env())
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("yuqing whatif: --set") and "ack_hours" in line
    assert not (tmp_path / "out").exists()


def test_the_command_writes_the_three_files_from_the_archive(tmp_path):
    name = "routine-nantong"
    history = WorkflowHistory.from_json(f"incident-{name}",
                                        (HISTORIES / f"{name}.json").read_text("utf-8"))
    HistoryArchive(tmp_path / "archive").save_all([(history, None)])
    result = run_yuqing("whatif", "--month", "2026-11", "--from-archive", str(tmp_path / "archive"),
                        "--set", "ack_hours=0.25", "--out", str(tmp_path / "out"), env=cli_env())
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["whatif-2026-11.html", "whatif-2026-11.json", "whatif-2026-11.md"]
    report = json.loads((tmp_path / "out" / "whatif-2026-11.json").read_text("utf-8"))
    assert report["settings"] == {"ack_hours": 0.25}
    assert {"month", "actual", "proposed", "changed_incidents", "assumptions"} <= set(report)
    page = (tmp_path / "out" / "whatif-2026-11.html").read_text("utf-8")
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org", "")
