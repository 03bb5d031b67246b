"""`yuqing` explains bad input in one paragraph and exits 2 (1 when the server is unreachable)."""

import json
import os
from pathlib import Path

from tests.runtime.cli_helpers import assert_explained, cli_env, run_yuqing
from workers.dev_server import free_ports

BAD_INPUT = 2


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = run_yuqing("report", str(tmp_path / "nope.json"))
    assert result.returncode == BAD_INPUT
    assert_explained(result, "nope.json", "file not found")


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"incident_id": "NT-1",\n "title": }', encoding="utf-8")
    result = run_yuqing("report", str(broken))
    assert result.returncode == BAD_INPUT
    assert_explained(result, "broken.json", "not valid JSON", "line 2")


def test_validation_errors_name_each_field(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({
        "incident_id": "NT-1", "profile": "beijing-2099", "title": "测试",
        "report": {"platform": "微博", "url": "https://example.org/1",
                   "detected_at": "2026-11-21T09:00:00+08:00"},
        "analysis": {"category": "R9", "severity": "一般",
                     "units": [{"unit_id": "u1", "lead": True}]},
    }, ensure_ascii=False), encoding="utf-8")
    result = run_yuqing("report", str(wrong))
    assert result.returncode == BAD_INPUT
    assert_explained(result, "wrong.json", "profile", "analysis.category", "actor")


def test_a_start_outside_the_limits_is_refused_before_connecting(tmp_path: Path) -> None:
    """Issue #10: detected_at in 9999 or ack_hours 1e10 used to start a stuck incident."""
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps({
        "incident_id": "NT-9", "profile": "nantong-2017", "title": "测试", "actor": "平台",
        "report": {"platform": "微博", "detected_at": "9999-12-31T23:59:59+08:00"},
        "local_defaults": {"ack_hours": 1e10},
    }, ensure_ascii=False), encoding="utf-8")
    result = run_yuqing("report", str(hostile))
    assert result.returncode == BAD_INPUT
    assert_explained(result, "hostile.json", "report.detected_at", "local_defaults.ack_hours")


def test_json_that_is_not_an_object_is_bad_input(tmp_path: Path) -> None:
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    result = run_yuqing("report", str(listed))
    assert result.returncode == BAD_INPUT
    assert_explained(result, "list.json")


def test_unknown_command_is_bad_input() -> None:
    assert run_yuqing("frobnicate").returncode == BAD_INPUT


def test_unreachable_server_is_explained() -> None:
    (closed_port,) = free_ports(1)
    result = run_yuqing("status", "NT-1", env=cli_env(TEMPORAL_ADDRESS=f"127.0.0.1:{closed_port}"))
    assert result.returncode == 1
    assert_explained(result, f"127.0.0.1:{closed_port}", "TEMPORAL_ADDRESS")


def test_outbox_lists_deliveries_newest_last(tmp_path: Path) -> None:
    older = tmp_path / "notifications" / "a.json"
    newer = tmp_path / "assignment_forms" / "b.json"
    for path, subject, mtime in [(older, "督办通知", 1_000_000), (newer, "交办单", 2_000_000)]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"subject": subject}, ensure_ascii=False), encoding="utf-8")
        os.utime(path, (mtime, mtime))
    (tmp_path / "notifications" / "c.json.tmp").write_text("half-written")

    everything = run_yuqing("outbox", "--outbox", str(tmp_path))
    assert everything.returncode == 0, everything.stderr
    assert everything.stdout.index("督办通知") < everything.stdout.index("交办单")
    assert "half-written" not in everything.stdout

    newest = run_yuqing("outbox", "--outbox", str(tmp_path), "--tail", "1")
    assert "交办单" in newest.stdout and "督办通知" not in newest.stdout


def test_empty_outbox_says_so(tmp_path: Path) -> None:
    result = run_yuqing("outbox", "--outbox", str(tmp_path / "none"))
    assert result.returncode == 0
    assert "nothing delivered yet" in result.stdout


def test_version_and_a_bad_log_level_are_one_line_answers() -> None:
    version = run_yuqing("--version")
    assert version.returncode == 0 and version.stdout.startswith("yuqing ")
    bad = run_yuqing("--log-level", "verbose", "outbox")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr


def test_heavy_libraries_load_only_for_the_commands_that_need_them() -> None:
    """Issue #24: every command's parser and `status`/`overdue`/`audit` code without
    matplotlib, openpyxl or numpy (the bulletin's); scripts/bench_cli.py has the timings."""
    import subprocess
    import sys
    probe = ("import sys, starter.cli as c; c.build_parser(); "
             "import starter.incident_cli, starter.office_cli, starter.audit_cli, starter.api; "
             "print(sorted(m for m in ('matplotlib', 'openpyxl', 'numpy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr
