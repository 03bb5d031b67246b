"""Commands find the server like the `temporal` CLI: env vars over TOML profiles over the dev default."""

from pathlib import Path

import pytest

from workers.connect import load_connect_config


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_PROFILE",
                 "TEMPORAL_TLS", "TEMPORAL_TLS_CA_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_PATH",
                 "TEMPORAL_TLS_CLIENT_KEY_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", str(tmp_path / "absent.toml"))
    return monkeypatch


def test_defaults_to_embedded_server(clean_env) -> None:
    config = load_connect_config()
    assert config["target_host"] == "localhost:7233"
    assert config["namespace"] == "default"
    assert "tls" not in config


def test_environment_variables_win(clean_env) -> None:
    clean_env.setenv("TEMPORAL_ADDRESS", "temporal.internal:7233")
    clean_env.setenv("TEMPORAL_NAMESPACE", "yuqing-prod")
    clean_env.setenv("TEMPORAL_API_KEY", "secret")
    config = load_connect_config()
    assert config["target_host"] == "temporal.internal:7233"
    assert config["namespace"] == "yuqing-prod"
    assert config["api_key"] == "secret" and config["tls"]


def test_toml_profile(clean_env, tmp_path: Path) -> None:
    toml = tmp_path / "temporal.toml"
    toml.write_text('[profile.prod]\naddress = "prod.example:7233"\nnamespace = "yuqing"\n')
    clean_env.setenv("TEMPORAL_CONFIG_FILE", str(toml))
    config = load_connect_config("prod")
    assert (config["target_host"], config["namespace"]) == ("prod.example:7233", "yuqing")
