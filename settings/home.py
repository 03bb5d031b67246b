"""The data directory (数据目录) ``YUQING_HOME``: keys, configuration, outbox, archive, bulletins.

Every command finds the same files whatever its working directory: ``YUQING_HOME`` when
set, else the checkout's ``var/`` (a development machine). Each file may still be named
on its own (``YUQING_KEYS_FILE``, ``YUQING_CONFIG``, ``YUQING_OUTBOX``, ``YUQING_ARCHIVE``).
"""

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
# The settings that name one of the data directory's files elsewhere.
FILE_SETTINGS = ("YUQING_KEYS_FILE", "YUQING_CONFIG", "YUQING_OUTBOX", "YUQING_ARCHIVE")


class ConfigError(ValueError):
    """A setting or configuration file that cannot be used: one line, what and where."""


def yuqing_home() -> Path:
    configured = os.environ.get("YUQING_HOME", "").strip()
    return Path(configured).expanduser() if configured else CHECKOUT / "var"


def home_path(name: str, setting: str | None = None) -> Path:
    """``$setting`` when set, else ``name`` inside the data directory."""
    configured = os.environ.get(setting, "").strip() if setting else ""
    return Path(configured).expanduser() if configured else yuqing_home() / name
