"""Fail closed (issue #22), as the commands show it: no key stops every command with one
line; an answer or an outbox file this client cannot decrypt is said as such. The key
settings themselves: tests/settings/test_keys.py."""

from types import SimpleNamespace

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.common import RawValue

from activities.outbox import Outbox
from domain.status import MessageReceipt
from settings.keys import create_keys_file
from starter.api import PayloadUnreadable, decoded
from starter.outbox_view import render_delivery
from temporal.data_converter import DATA_CONVERTER
from tests.runtime.cli_helpers import ROOT, cli_env, run_yuqing


@pytest.mark.parametrize("args", [["worker"], ["status", "X-1"], ["overdue"], ["outbox"],
                                  ["send", "X-1", "acknowledge", "{}"],
                                  ["report", "{root}/examples/nantong-routine.json"]])
def test_every_payload_command_stops_with_one_line_from_any_directory(tmp_path, args):
    env = cli_env(YUQING_HOME=str(tmp_path / "home"), TEMPORAL_ADDRESS="127.0.0.1:1")
    done = run_yuqing(*(a.replace("{root}", str(ROOT)) for a in args), env=env, cwd=tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(tmp_path / "home" / "keys.json") in lines[0]


@pytest.mark.parametrize("keys_file, said", [("{home}", "is a directory"),
                                             ("{home}/typo", "cannot read the keys file")])
def test_a_bad_keys_file_setting_is_one_line_for_the_worker(tmp_path, keys_file, said):
    env = cli_env(YUQING_HOME=str(tmp_path), YUQING_KEYS_FILE=keys_file.format(home=tmp_path),
                  TEMPORAL_ADDRESS="127.0.0.1:1")
    done = run_yuqing("worker", env=env, cwd=tmp_path)
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert said in done.stderr


def test_keys_create_then_commands_find_them_from_anywhere(tmp_path):
    env = cli_env(YUQING_HOME=str(tmp_path / "home"))
    created = run_yuqing("keys", "create", env=env, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "home" / "keys.json").stat().st_mode & 0o777 == 0o600


def test_an_answer_this_client_cannot_decrypt_is_said_as_such():
    client = SimpleNamespace(data_converter=DATA_CONVERTER)
    sealed = RawValue(Payload(metadata={"encoding": b"binary/undecryptable"}, data=b""))
    with pytest.raises(PayloadUnreadable, match="已受理，但回执无法解码.*binary/undecryptable"):
        decoded(client, sealed, MessageReceipt, "acknowledge 已受理，但回执")


def test_outbox_files_rest_sealed_and_read_back_with_the_keys(home, monkeypatch, tmp_path):
    create_keys_file()
    content = {"content": "网民王小明 13812345678"}
    delivery = Outbox(tmp_path / "outbox").deliver("assignment_forms", "NT-1:u1", ["message"],
                                                   content)
    path = tmp_path / "outbox" / "assignment_forms"
    [written] = list(path.glob("*.json"))
    assert b"13812345678" not in written.read_bytes() and "王小明".encode() not in written.read_bytes()
    assert "王小明 13812345678" in render_delivery(written, tmp_path / "outbox")
    # A retry (same key, same content) finds the sealed file: its digest is read inside.
    again = Outbox(tmp_path / "outbox").deliver("assignment_forms", "NT-1:u1", ["message"],
                                                content)
    assert again.already_delivered and again.delivered_at == delivery.delivered_at
    other = Outbox(tmp_path / "outbox").deliver("assignment_forms", "NT-1:u1", ["message"], {})
    assert not other.already_delivered and len(list(path.glob("*.json"))) == 2
    monkeypatch.setenv("YUQING_HOME", str(tmp_path / "elsewhere"))  # other keys
    create_keys_file()
    assert "无法解密" in render_delivery(written, tmp_path / "outbox")
