"""Connect to Temporal the way the `temporal` CLI finds its server."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.envconfig import ClientConfigProfile, ClientConnectConfig

DEFAULT_ADDRESS = "localhost:7233"
DEFAULT_NAMESPACE = "default"


def load_connect_config(profile: str | None = None) -> ClientConnectConfig:
    """TEMPORAL_* env vars over the TOML profile, with the embedded server as fallback.

    ``profile`` None means TEMPORAL_PROFILE or "default", as for the CLI.
    """
    config = ClientConfigProfile.load(profile=profile).to_client_connect_config()
    config.setdefault("target_host", DEFAULT_ADDRESS)
    config.setdefault("namespace", DEFAULT_NAMESPACE)
    return config


async def connect_client(
    profile: str | None = None,
    *,
    target_host: str | None = None,
    namespace: str | None = None,
) -> Client:
    """A client with the pydantic converter, which every process must share to read payloads.

    ``target_host``/``namespace`` override the configuration (``yuqing dev`` knows its own server).
    """
    config = load_connect_config(profile)
    if target_host is not None:
        config["target_host"] = target_host
    if namespace is not None:
        config["namespace"] = namespace
    return await connect(config)


async def connect(config: ClientConnectConfig) -> Client:
    from settings.keys import configured_converter  # the models: only when connecting
    return await Client.connect(**config, data_converter=configured_converter())
