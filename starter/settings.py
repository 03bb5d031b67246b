"""Deployment configuration of local defaults (本地默认时限).

Read from the TOML file named by ``YUQING_CONFIG`` (default ``yuqing.toml`` in
the working directory), table ``[local_defaults]``. The starter writes the
values into each incident's input, so the history records which applied.
"""

import os
import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from activities.channels.settings import NoticeSettings, SecretMissing
from domain.presentation import describe_validation_error
from domain.profiles import LocalDefaults
from domain.roster import Roster
from workers.tuning import WorkerTuning


Model = TypeVar("Model", bound=BaseModel)


class ConfigError(ValueError):
    """The configuration file cannot be read or has a bad value (one line, file and field)."""


def config_path() -> Path:
    return Path(os.environ.get("YUQING_CONFIG", "yuqing.toml"))


def _table(path: Path | None, name: str, model: type[Model]) -> Model:
    """One table of the configuration file as ``model`` (its defaults when there is no file);
    a syntax error or a bad value is one line naming the file, the table and the field."""
    path = path or config_path()
    if not path.exists():
        return model()
    try:
        with path.open("rb") as file:
            return model.model_validate(tomllib.load(file).get(name, {}))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: 不是有效的 TOML (not valid TOML): {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: 无法读取 (cannot be read): {error}") from None
    except ValidationError as error:
        raise ConfigError(f"{path} [{name}]：{describe_validation_error(error)}") from None


def load_roster(path: Path | None = None) -> Roster:
    """``[roster]`` of the configuration: ``units = {unit_id = [names]}``, ``offices = {…}``."""
    return _table(path, "roster", Roster)


def load_worker_tuning(path: Path | None = None) -> WorkerTuning:
    """``[worker]``: the workflow cache, concurrency and runner of this worker process."""
    return _table(path, "worker", WorkerTuning)


def load_notice_settings(path: Path | None = None) -> NoticeSettings:
    """``[notices]``: channels, and the contacts of each unit and office (README, "Notices");
    every secret they name is read now, so a missing one stops the worker before it starts."""
    from activities.channels import build_channels  # the CLI's other commands need neither
    from activities.notices import NoticeSender

    settings = _table(path, "notices", NoticeSettings)
    try:
        build_channels(settings)
        NoticeSender.check_contacts(settings)
    except SecretMissing as error:
        raise ConfigError(f"{path or config_path()} [notices]：{error}") from None
    return settings


def load_local_defaults(path: Path | None = None) -> LocalDefaults:
    return _table(path, "local_defaults", LocalDefaults)


def connection_hint(error: str) -> str:
    """What to check, from what the connection error says (TLS, API key, or nothing there)."""
    text = error.lower()
    if any(word in text for word in ("tls", "certificate", "handshake", "ssl")):
        return ("TLS 设置与服务器不一致，请检查 TEMPORAL_TLS* / TLS mismatch: check the "
                "TEMPORAL_TLS* settings against the server")
    if any(word in text for word in ("unauthenticated", "api key", "permission", "unauthorized")):
        return "API key 无效或缺失，请检查 TEMPORAL_API_KEY / check TEMPORAL_API_KEY"
    return ("请先运行 `yuqing dev` 或设置 TEMPORAL_ADDRESS / start `yuqing dev` or set "
            "TEMPORAL_ADDRESS")
