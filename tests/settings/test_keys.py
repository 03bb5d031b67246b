"""Fail closed (issue #22): no key stops every command with one line; bad settings too."""

import base64
import json

import pytest

from tests.runtime.cli_helpers import ROOT, cli_env, run_yuqing
from settings.home import home_path, yuqing_home
from settings.keys import KeySettingError, load_keyring, require_keyring
from temporal.codec import Keyring

KEY = base64.b64encode(b"k" * 32).decode()


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in ("YUQING_KEYS", "YUQING_KEYS_FILE", "YUQING_PLAINTEXT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("YUQING_HOME", str(tmp_path))
    return tmp_path


def test_one_data_directory_names_every_file(home, monkeypatch):
    assert yuqing_home() == home
    assert home_path("keys.json", "YUQING_KEYS_FILE") == home / "keys.json"
    monkeypatch.setenv("YUQING_KEYS_FILE", "/run/secrets/keys.json")
    assert str(home_path("keys.json", "YUQING_KEYS_FILE")) == "/run/secrets/keys.json"
    monkeypatch.delenv("YUQING_HOME")
    assert yuqing_home().name == "var" and (yuqing_home().parent / "pyproject.toml").exists()


def test_no_key_fails_closed_saying_where_it_looked(home, monkeypatch):
    assert load_keyring() is None
    with pytest.raises(KeySettingError, match=str(home / "keys.json")) as error:
        require_keyring()
    assert "yuqing keys create" in str(error.value)
    monkeypatch.setenv("YUQING_PLAINTEXT", "1")  # the explicit development switch
    assert require_keyring() is None


@pytest.mark.parametrize("setting, value, said", [
    ("YUQING_KEYS_FILE", "{home}/typo", "cannot read the keys file"),
    ("YUQING_KEYS_FILE", "{home}", "is a directory"),
    ("YUQING_KEYS_FILE", "{home}/bad.json", "malformed keys file"),
    ("YUQING_KEYS", "no-colon", "id:base64key"),
    ("YUQING_KEYS", "k1:%%%", "not valid base64"),
    ("YUQING_KEYS", f"k1:{base64.b64encode(b'short').decode()}", "32 bytes"),
])
def test_a_bad_key_setting_is_one_clear_error(home, monkeypatch, setting, value, said):
    (home / "bad.json").write_text(json.dumps({"keys": []}))
    monkeypatch.setenv(setting, value.format(home=home))
    with pytest.raises(KeySettingError, match=said):
        require_keyring()


def test_keys_from_the_environment_win(home, monkeypatch):
    monkeypatch.setenv("YUQING_KEYS", f"k1:{KEY}")
    assert require_keyring() == Keyring({"k1": b"k" * 32}, "k1")


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
    from types import SimpleNamespace

    from temporalio.api.common.v1 import Payload
    from temporalio.common import RawValue

    from domain.status import MessageReceipt
    from starter.api import PayloadUnreadable, decoded
    from temporal.data_converter import DATA_CONVERTER
    client = SimpleNamespace(data_converter=DATA_CONVERTER)
    sealed = RawValue(Payload(metadata={"encoding": b"binary/undecryptable"}, data=b""))
    with pytest.raises(PayloadUnreadable, match="已受理，但回执无法解码.*binary/undecryptable"):
        decoded(client, sealed, MessageReceipt, "acknowledge 已受理，但回执")


def test_outbox_files_rest_sealed_and_read_back_with_the_keys(home, monkeypatch, tmp_path):
    from activities.outbox import Outbox
    from starter.outbox_view import render_delivery
    from settings.keys import create_keys_file
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


# The settings a throwaway home must not follow elsewhere, each set to a place it would miss.
ELSEWHERE = ("YUQING_KEYS", "YUQING_KEYS_FILE", "YUQING_CONFIG", "YUQING_OUTBOX",
             "YUQING_ARCHIVE")


@pytest.fixture
def settings_elsewhere(tmp_path, monkeypatch):
    before = {"YUQING_HOME": str(tmp_path / "mine")}
    before.update({name: str(tmp_path / name.lower()) for name in ELSEWHERE})
    before["YUQING_KEYS"] = f"kmine:{KEY}"
    for name, value in before.items():
        monkeypatch.setenv(name, value)
    return before


def environment(names) -> dict:
    import os
    return {name: os.environ.get(name) for name in names}


async def test_a_throwaway_home_has_its_own_usable_key_and_leaves_nothing(settings_elsewhere):
    from settings.keys import configured_converter, throwaway_home
    with throwaway_home(prefix="yuqing-test-") as home:
        assert home.is_dir() and home.name.startswith("yuqing-test-") and yuqing_home() == home
        for name, setting in (("keys.json", "YUQING_KEYS_FILE"), ("yuqing.toml", "YUQING_CONFIG"),
                              ("outbox", "YUQING_OUTBOX"), ("archive", "YUQING_ARCHIVE")):
            assert home_path(name, setting) == home / name
        assert (home / "keys.json").stat().st_mode & 0o777 == 0o600
        current = json.loads((home / "keys.json").read_text())["current"]
        assert require_keyring().current == current  # its own key, not YUQING_KEYS'
        converter = configured_converter()
        [sealed] = await converter.encode(["网民王小明"])
        assert "王小明".encode() not in sealed.data
        assert await converter.decode([sealed]) == ["网民王小明"]
        (home / "more" / "files").mkdir(parents=True)
    assert not home.exists()
    assert environment(settings_elsewhere) == settings_elsewhere


def test_a_throwaway_home_is_gone_after_an_error_and_an_unset_home_unset(monkeypatch):
    monkeypatch.delenv("YUQING_HOME")
    from settings.keys import throwaway_home
    with pytest.raises(RuntimeError, match="mid-run"):
        with throwaway_home() as home:
            assert (home / "keys.json").is_file()
            raise RuntimeError("mid-run")
    assert not home.exists() and environment(["YUQING_HOME"]) == {"YUQING_HOME": None}


def test_a_given_home_is_used_as_it_is_and_kept(settings_elsewhere, tmp_path):
    from settings.keys import throwaway_home
    given = tmp_path / "given"
    given.mkdir()
    (given / "yuqing.toml").write_text("# the owner's\n")
    with throwaway_home(given) as home:
        assert home == given and yuqing_home() == given
        assert environment(ELSEWHERE) == {n: settings_elsewhere[n] for n in ELSEWHERE}
    assert sorted(p.name for p in given.iterdir()) == ["yuqing.toml"]  # no key written
    assert environment(settings_elsewhere) == settings_elsewhere
