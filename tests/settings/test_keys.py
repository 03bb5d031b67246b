"""Fail closed (issue #22): no key and a bad key setting are one clear error (the commands
that stop on them: tests/starter/test_fail_closed_commands.py)."""

import base64
import json

import pytest

from settings.home import home_path, yuqing_home
from settings.keys import KeySettingError, create_keys_file, load_keyring, require_keyring
from temporal.codec import Keyring
from tests.support.codec import NEW, OLD

KEY = base64.b64encode(b"k" * 32).decode()


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


def test_keys_from_the_environment_or_a_private_file(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQING_KEYS", f"k1:{base64.b64encode(OLD).decode()},"
                                      f"k2:{base64.b64encode(NEW).decode()}")
    assert load_keyring() == Keyring({"k1": OLD, "k2": NEW}, "k2")
    monkeypatch.delenv("YUQING_KEYS")
    monkeypatch.delenv("YUQING_KEYS_FILE", raising=False)
    monkeypatch.setenv("YUQING_HOME", str(tmp_path))  # no keys file there yet
    assert load_keyring() is None
    path = create_keys_file()
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(next(iter(load_keyring().keys.values()))) == 32


def test_keys_from_the_environment_win(home, monkeypatch):
    monkeypatch.setenv("YUQING_KEYS", f"k1:{KEY}")
    assert require_keyring() == Keyring({"k1": b"k" * 32}, "k1")


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
