"""The payload keys (载荷密钥) of this deployment, read fail closed, and the converter they make.

Keys come from ``YUQING_KEYS`` (``id:base64key,id:base64key``, newest last) or the JSON
file ``YUQING_KEYS_FILE`` (default ``$YUQING_HOME/keys.json``: ``{"current": id, "keys":
{id: b64}}``). Without keys every command stops (fail closed); payloads stay in clear only
with the development switch ``YUQING_PLAINTEXT=1``. The encryption itself is
``temporal.codec``.
"""

import base64
import dataclasses
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.converter import DataConverter

from settings.home import FILE_SETTINGS, ConfigError, home_path
from temporal.codec import EncryptionCodec, Keyring
from temporal.data_converter import DATA_CONVERTER


class KeySettingError(ConfigError):
    """No usable key, or a key setting that cannot be read: one line, where and how to fix."""


PLAINTEXT_SWITCH = "YUQING_PLAINTEXT"  # development only: payloads stay in clear


def keys_file() -> Path:
    return home_path("keys.json", "YUQING_KEYS_FILE")


def _decoded_key(key_id: str, value: str, where: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (ValueError, TypeError):
        raise KeySettingError(f"{where}：密钥 {key_id!r} 不是有效的 base64 "
                              "(the key is not valid base64)") from None


def _keyring(keys: dict[str, bytes], current: str, where: str) -> Keyring:
    try:
        return Keyring(keys, current)
    except ValueError as error:
        raise KeySettingError(f"{where}：{error}") from None


def _keys_from_environment(listed: str) -> Keyring:
    pairs = [item.split(":", 1) for item in listed.split(",") if item.strip()]
    if not pairs or any(len(pair) != 2 or not pair[0].strip() for pair in pairs):
        raise KeySettingError("YUQING_KEYS 格式错误：须为 id:base64key,…（最新的在最后）"
                              "(YUQING_KEYS must be id:base64key pairs, newest last)")
    keys = {key_id.strip(): _decoded_key(key_id.strip(), value, "YUQING_KEYS")
            for key_id, value in pairs}
    return _keyring(keys, pairs[-1][0].strip(), "YUQING_KEYS")


def _keys_from_file(path: Path) -> Keyring:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys, current = data["keys"], data["current"]
        if not isinstance(keys, dict) or not isinstance(current, str):
            raise TypeError
    except IsADirectoryError:
        raise KeySettingError(f"密钥文件 {path} 是目录，不是文件 (is a directory, not a keys "
                              "file)") from None
    except OSError as error:
        raise KeySettingError(f"无法读取密钥文件 {path} (cannot read the keys file): "
                              f"{error.strerror}") from None
    except (ValueError, KeyError, TypeError):
        raise KeySettingError(f"密钥文件 {path} 格式错误：须为 "
                              '{"current": id, "keys": {id: base64key}} (malformed keys file)'
                              ) from None
    where = str(path)
    return _keyring({k: _decoded_key(k, str(v), where) for k, v in keys.items()}, current, where)


def load_keyring() -> Keyring | None:
    """The configured keys; None when none are configured. A setting that names keys
    that cannot be read (a missing file, a directory, a malformed list) is an error."""
    listed = os.environ.get("YUQING_KEYS", "").strip()
    if listed:
        return _keys_from_environment(listed)
    path = keys_file()
    if not path.exists() and not os.environ.get("YUQING_KEYS_FILE", "").strip():
        return None  # the default place, still empty
    return _keys_from_file(path)


def plaintext_allowed() -> bool:
    return os.environ.get(PLAINTEXT_SWITCH, "").strip().lower() in ("1", "true", "yes")


def require_keyring() -> Keyring | None:
    """The keys every command that reads or writes payloads needs; fail closed.

    None only with the explicit development switch ``YUQING_PLAINTEXT=1``.
    """
    keyring = load_keyring()
    if keyring is None and not plaintext_allowed():
        raise KeySettingError(
            f"没有加密密钥：已查找 YUQING_KEYS 与 {keys_file()}；运行 `yuqing keys create` "
            "创建（或 `yuqing dev` 首次运行时自动创建），或设置 YUQING_KEYS / YUQING_HOME "
            f"(no encryption key: looked in YUQING_KEYS and {keys_file()}; create one with "
            "`yuqing keys create`)")
    return keyring


def create_keys_file(path: Path | None = None) -> Path:
    """A first key (mode 0600); an existing file is kept."""
    path = path or keys_file()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    key_id = f"k{secrets.token_hex(4)}"
    body = json.dumps({"current": key_id,
                       "keys": {key_id: base64.b64encode(AESGCM.generate_key(256)).decode()}})
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(body)
    return path


@contextmanager
def throwaway_home(given: Path | None = None, prefix: str = "yuqing-home-") -> Iterator[Path]:
    """A data directory for one run of a script, ``YUQING_HOME`` while the block lasts.

    ``given`` is used as it is (its keys and settings are its owner's) and kept. Without
    it, a fresh directory with a fresh key (keys fail closed), where the settings naming
    keys or files elsewhere do not reach; it is deleted afterwards, the key with it. The
    environment is restored either way.
    """
    names = ("YUQING_HOME", "YUQING_KEYS", *FILE_SETTINGS)
    saved = {name: os.environ.get(name) for name in names}
    home = given or Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if given is None:
            for name in names:
                os.environ.pop(name, None)
            create_keys_file(home / "keys.json")
        os.environ["YUQING_HOME"] = str(home)
        yield home
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if given is None:
            shutil.rmtree(home, ignore_errors=True)


def service_identity() -> str | None:
    """The identity a backend with keys seals into what it sends (``YUQING_IDENTITY``)."""
    return os.environ.get("YUQING_IDENTITY", "").strip()[:200] or None


def configured_codec() -> EncryptionCodec | None:
    """The payload encryption under this deployment's keys; None only with the development
    switch (``require_keyring``). What reads a history's payloads itself uses this one."""
    keyring = require_keyring()
    return None if keyring is None else EncryptionCodec(keyring, service_identity())


def configured_converter() -> DataConverter:
    """The shared converter (``temporal.data_converter``) with payload encryption under
    this deployment's keys: every client, worker, replayer and report uses this one.
    Without keys it raises ``KeySettingError`` (clear payloads only with the development
    switch)."""
    codec = configured_codec()
    if codec is None:
        return DATA_CONVERTER
    return dataclasses.replace(DATA_CONVERTER, payload_codec=codec)
