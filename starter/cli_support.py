"""What every `yuqing` command shares: the global options, the connection, output and errors.

Kept light (no SDK, no pydantic): `yuqing --help` imports this and the command modules'
parser definitions only; a command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Awaitable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from domain.presentation import BEIJING

if TYPE_CHECKING:  # the SDK's types only: this module stays light
    from temporalio.client import Client
    from temporalio.converter import DataConverter
    from temporalio.envconfig import ClientConnectConfig

EXIT_FAILED = 1  # the operation could not be done (server unreachable, unknown incident…)
EXIT_BAD_INPUT = 2  # the user's input is wrong; same code argparse uses for bad arguments

ZONE = "北京时间"

# name → default; accepted before or after the command, as the `temporal` CLI accepts them
GLOBAL_DEFAULTS: dict[str, Any] = {"address": None, "namespace": None, "profile": None,
                                   "output": "text", "log_level": "INFO"}


class Connect(Protocol):
    """What a command's handler is given: ``connect`` below, its arguments bound."""

    def __call__(self, *, plain_json: bool = False) -> Awaitable[Client]: ...


class CliError(Exception):
    """A failure explained to the user in one line, without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the cause said
        self.exit_code = exit_code


def global_options() -> argparse.ArgumentParser:
    """The parent parser of the top level and of every command: SUPPRESS defaults, so an
    option given before the command is not reset by the command's own parser."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("全局选项 / global options (anywhere on the line)")
    quiet = argparse.SUPPRESS
    group.add_argument("--address", default=quiet, metavar="HOST:PORT",
                       help="Temporal 地址 / server address (TEMPORAL_ADDRESS; default localhost:7233)")
    group.add_argument("--namespace", "-n", default=quiet,
                       help="命名空间 / namespace (TEMPORAL_NAMESPACE; default default)")
    group.add_argument("--profile", default=quiet,
                       help="配置档 / client config profile (TEMPORAL_PROFILE)")
    group.add_argument("-o", "--output", default=quiet, choices=["text", "json"],
                       help="输出格式 / output format (default text)")
    group.add_argument("--log-level", default=quiet, type=str.upper,
                       choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                       help="日志级别 / log level (default INFO)")
    return common


def with_global_defaults(args: argparse.Namespace) -> argparse.Namespace:
    for name, default in GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    return args


_ADDRESS = re.compile(r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")


def check_address(address: str, source: str) -> None:
    """host:port, as gRPC wants it; a URL or a missing port is named, not a traceback."""
    if _ADDRESS.match(address) and 0 < int(address.rsplit(":", 1)[1]) < 65536:
        return
    hint = " (去掉 http:// / drop the scheme)" if "://" in address else ""
    raise CliError(f"Temporal 地址无效 / invalid Temporal address {address!r} from {source}: "
                   f"应为 host:port, e.g. localhost:7233{hint}", EXIT_BAD_INPUT)


def connect_config(args: argparse.Namespace) -> ClientConnectConfig:
    """The `temporal` CLI's environment configuration, then --address / --namespace."""
    import os

    from workers.connect import load_connect_config
    try:
        config = load_connect_config(args.profile)
    except Exception as err:  # the config loader reports bad TOML/unknown profile as plain errors
        raise CliError(f"Temporal 连接配置无效 / invalid Temporal client configuration: {err}",
                       EXIT_BAD_INPUT) from None
    if args.address:
        config["target_host"] = args.address
    if args.namespace:
        config["namespace"] = args.namespace
    source = ("--address" if args.address else
              "TEMPORAL_ADDRESS" if os.environ.get("TEMPORAL_ADDRESS") else "the client profile")
    check_address(config["target_host"], source)
    return config


def plain_json_converter() -> DataConverter:
    """Payloads read as the JSON they are, no models built (a query's answer to print),
    decrypted with the same keys as every other process."""
    import dataclasses

    from temporalio.converter import DataConverter

    from temporal.codec import EncryptionCodec
    from settings.keys import require_keyring
    keyring = require_keyring()  # fail closed: no key stops the command (YUQING_PLAINTEXT aside)
    if keyring is None:
        return DataConverter.default
    return dataclasses.replace(DataConverter.default, payload_codec=EncryptionCodec(keyring))


async def connect(args: argparse.Namespace, plain_json: bool = False) -> Client:
    """A client for the configured server, or a one-line CliError saying what to check.

    ``plain_json``: for a command that only prints what the server answers (`status`):
    it starts without pydantic and the message models."""
    from temporalio.client import Client
    config = connect_config(args)
    converter = plain_json_converter() if plain_json else None  # a missing key: said as such
    try:
        if converter is not None:
            return await Client.connect(**config, data_converter=converter)
        from workers.connect import connect as connect_with
        return await connect_with(config)
    except (RuntimeError, ValueError) as err:
        from starter.settings import connection_hint
        raise CliError(f"无法连接 Temporal / cannot reach Temporal at {config['target_host']} "
                       f"(namespace {config['namespace']}): {err}. {connection_hint(str(err))}"
                       ) from None


def beijing(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING)


def beijing_text(moment: datetime | None) -> str:
    """A time for people: minutes, Beijing time, the zone said."""
    return "—" if moment is None else f"{beijing(moment):%Y-%m-%d %H:%M} {ZONE}"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return beijing(value).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="python")
    raise TypeError(f"not JSON: {type(value).__name__}")


_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


def _in_beijing(data: Any) -> Any:
    """Times already JSON (a query's answer as the server gave it), moved to +08:00."""
    if isinstance(data, dict):
        return {key: _in_beijing(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_in_beijing(value) for value in data]
    if isinstance(data, str) and _ISO_TIME.match(data):
        return beijing(datetime.fromisoformat(data)).isoformat()
    return data


def json_text(data: Any) -> str:
    """JSON for scripts: times ISO 8601 at +08:00, durations in seconds, Chinese unescaped."""
    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="python")
    return json.dumps(_in_beijing(data), ensure_ascii=False, indent=2, default=_json_value)


def print_json(data: Any) -> None:
    print(json_text(data))
