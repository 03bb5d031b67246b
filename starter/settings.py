"""The deployment's configuration (部署配置) as the commands read it (``settings.config_file``).

``$YUQING_HOME/yuqing.toml`` (or ``YUQING_CONFIG``): ``[worker]``, ``[roster]``,
``[local_defaults]``, ``[notices]``. The roster and the local defaults are the deployment's: the worker
reads them when an incident opens and records them in its history; the starter reads
them only to preview the search attributes the opened incident will show.
"""

from pathlib import Path

from activities.channels.settings import NoticeSettings, SecretMissing
from domain.profiles import LocalDefaults
from domain.roster import Roster
from settings.config_file import config_path, read_table as _table
from settings.home import ConfigError  # noqa: F401 (the commands' one-line configuration error)
from workers.tuning import WorkerTuning


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
