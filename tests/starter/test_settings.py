"""Local defaults and the roster come from the deployment's configuration, never the report."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from domain.messages import IncidentStart, Report
from domain.profiles import LocalDefaults
from starter.api import with_current_versions
from starter.settings import ConfigError, load_local_defaults, load_notice_settings


def start(**extra) -> IncidentStart:
    return IncidentStart(incident_id="A1", profile="national-2016", title="t", actor="a",
                         report=Report(platform="p", detected_at=datetime.now(timezone.utc)),
                         **extra)


def test_toml_overrides_local_defaults(tmp_path, monkeypatch):
    config = tmp_path / "yuqing.toml"
    config.write_text("[local_defaults]\nack_hours = 4\nhandling_hours = 120\n", encoding="utf-8")
    monkeypatch.setenv("YUQING_CONFIG", str(config))
    defaults = load_local_defaults()
    assert defaults.ack_hours == 4 and defaults.handling_hours == 120
    assert defaults.backfill_hours == LocalDefaults().backfill_hours


def test_without_a_file_the_built_in_defaults_apply(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQING_CONFIG", str(tmp_path / "missing.toml"))
    assert load_local_defaults() == LocalDefaults()


def test_a_report_that_carries_its_own_roster_or_defaults_is_refused():
    import pytest
    assert with_current_versions(start()).workflow_version is not None
    for own in ({"local_defaults": LocalDefaults(ack_hours=1)},
                {"roster": {"units": {"nt-zjj": ["Mallory"]}}}):
        with pytest.raises(ValueError, match="部署配置决定"):
            with_current_versions(start(**own))


def test_a_typo_in_the_configuration_is_one_clear_line(tmp_path):
    import pytest

    from starter.settings import load_local_defaults
    typo = tmp_path / "yuqing.toml"
    typo.write_text("[local_defaults]\nack_hourz = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"ack_hourz：未知字段"):
        load_local_defaults(typo)
    typo.write_text("[local_defaults\n", encoding="utf-8")
    with pytest.raises(ValueError, match="TOML"):
        load_local_defaults(typo)


def test_the_roster_comes_from_the_configuration(tmp_path):
    from starter.settings import load_roster
    config = tmp_path / "yuqing.toml"
    config.write_text('[roster.units]\n"nt-zjj" = ["住建局 王五"]\n'
                      '[roster.offices]\nsupervisory_organ = ["市监察局 钱七"]\n', encoding="utf-8")
    roster = load_roster(config)
    assert roster.units == {"nt-zjj": ["住建局 王五"]}
    assert roster.refusal("start_accountability", "冒充者", None) is not None
    assert roster.refusal("start_accountability", "市监察局 钱七", None) is None
    assert load_roster(tmp_path / "missing.toml").empty


def test_a_connection_error_says_what_to_check():
    from starter.settings import connection_hint
    assert "TLS" in connection_hint("tls handshake eof")
    assert "TEMPORAL_API_KEY" in connection_hint("Request unauthenticated")
    assert "yuqing dev" in connection_hint("Connection refused")


def test_contacts_come_from_the_deployment_configuration(tmp_path: Path, monkeypatch):
    config = tmp_path / "yuqing.toml"
    config.write_text("""
[notices.channels.mail]
type = "email"
host = "smtp.example.gov.cn"
sender = "yuqing@example.gov.cn"
password = "env:TEST_NOT_SET_PASSWORD"

[notices.contacts.nt-zjj]
channels = ["mail"]
email = ["zjj@example.gov.cn"]
""", encoding="utf-8")
    monkeypatch.delenv("TEST_NOT_SET_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="env:TEST_NOT_SET_PASSWORD"):
        load_notice_settings(config)
    monkeypatch.setenv("TEST_NOT_SET_PASSWORD", "pw")
    assert load_notice_settings(config).contacts["nt-zjj"].channels == ["mail"]
    config.write_text('[notices.contacts.nt-zjj]\nchannels = ["sms"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="未在 \\[notices.channels\\] 中定义"):
        load_notice_settings(config)
