"""docker-compose.yml is the production deployment: check what it promises, statically.

(No Docker engine here; test_compose_admin_job.py runs the admin job's script for real.)
"""

import json
import re
import shlex
from datetime import timedelta
from pathlib import Path

from tests.deploy.compose_file import COMPOSE_FILE, DOCKERFILE, environment, interpolate, load_compose, services, shell_script
from temporal.search_attributes import ALL_SEARCH_ATTRIBUTES, cli_type_name

EXPECTED_SERVICES = {"postgresql", "temporal-schema", "temporal", "temporal-admin-tools",
                     "temporal-ui", "worker", "codec-server", "yuqing-setup"}


def published_ports(service: dict) -> set[str]:
    return {interpolate(str(port)) for port in service.get("ports", [])}


def waits_for(service: dict, dependency: str, condition: str) -> bool:
    return service.get("depends_on", {}).get(dependency, {}).get("condition") == condition


def test_all_services_present() -> None:
    assert EXPECTED_SERVICES <= services().keys()


def test_worker_reaches_temporal_by_service_name_and_port() -> None:
    all_services = services()
    host, _, port = environment(all_services["worker"])["TEMPORAL_ADDRESS"].partition(":")
    assert host == "temporal" and host in all_services
    assert f"127.0.0.1:{port}:{port}" in published_ports(all_services["temporal"])
    assert port == "7233"  # the server image's frontend port


def test_temporal_server_uses_postgres() -> None:
    all_services = services()
    server = all_services["temporal"]
    assert interpolate(server["image"]).startswith("temporalio/server:")
    env = environment(server)
    assert env["DB"] == "postgres12"
    assert env["POSTGRES_SEEDS"] in all_services
    assert env["POSTGRES_PWD"] == environment(all_services["postgresql"])["POSTGRES_PASSWORD"]


def test_start_order_waits_for_readiness() -> None:
    s = services()
    assert "healthcheck" in s["postgresql"] and "healthcheck" in s["temporal"]
    assert waits_for(s["temporal-schema"], "postgresql", "service_healthy")
    assert waits_for(s["temporal"], "temporal-schema", "service_completed_successfully")
    assert waits_for(s["temporal-admin-tools"], "temporal", "service_healthy")
    assert waits_for(s["temporal-ui"], "temporal", "service_healthy")
    # the worker must not run before the search attributes it sets exist
    assert waits_for(s["worker"], "temporal-admin-tools", "service_completed_successfully")


def registered_search_attributes(script: str) -> dict[str, str]:
    """name → type for every ``sa --name N --type T`` line, ``sa`` being the script's wrapper
    around ``temporal operator search-attribute create``."""
    assert re.search(r"^\s*sa\(\) \{ retry temporal operator search-attribute create "
                     r'--namespace "\$NAMESPACE" "\$@"; \}$', script, re.MULTILINE), script
    registered: dict[str, str] = {}
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] != ["sa"]:
            continue
        # CLIs pair each --name with a --type: exactly one of each per call
        assert words[1::2] == ["--name", "--type"] and len(words) == 5, line
        registered[words[2]] = words[4]
    return registered


def test_admin_job_registers_every_search_attribute_with_its_type() -> None:
    script = shell_script(services()["temporal-admin-tools"])
    expected = {key.name: cli_type_name(key) for key in ALL_SEARCH_ATTRIBUTES}
    assert registered_search_attributes(script) == expected


def test_admin_job_sets_audit_retention() -> None:
    admin = services()["temporal-admin-tools"]
    script = shell_script(admin)
    assert '--retention "$RETENTION"' in script
    hours = re.fullmatch(r"(\d+)h", environment(admin)["RETENTION"])
    assert hours and timedelta(hours=int(hours.group(1))) >= timedelta(days=365)


def test_ui_published_on_8233_and_talks_to_temporal() -> None:
    ui = services()["temporal-ui"]
    assert interpolate(ui["image"]).startswith("temporalio/ui:")
    assert "127.0.0.1:8233:8080" in published_ports(ui)  # local only: behind a login proxy
    assert environment(ui)["TEMPORAL_ADDRESS"] == "temporal:7233"


def test_worker_is_built_from_dockerfile_and_keeps_its_outbox() -> None:
    compose = load_compose()
    worker = compose["services"]["worker"]
    assert worker["build"] in (".", {"context": "."})
    outbox = environment(worker)["YUQING_OUTBOX"]
    volumes = {v.split(":")[1]: v.split(":")[0] for v in worker["volumes"]}
    assert volumes[outbox] in compose["volumes"], "outbox must be a named (persistent) volume"


def test_dockerfile_installs_package_and_runs_worker() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    assert any(re.fullmatch(r"FROM python:3\.11-slim\b.*", line) for line in lines)
    assert any(re.search(r"\bpip install (--no-deps )?\.(\s|$)", line) for line in lines)
    (cmd,) = [line for line in lines if line.startswith("CMD ")]
    assert json.loads(cmd.removeprefix("CMD ")) == ["yuqing", "worker"]
    assert "COPY pyproject.toml ./" in lines
    for package in ("domain", "workflows", "activities", "workers", "starter"):
        assert f"COPY {package} ./{package}" in lines, package


def test_postgres_data_is_a_persistent_volume() -> None:
    compose = load_compose()
    mounts = dict(v.split(":", 1)[::-1] for v in compose["services"]["postgresql"]["volumes"])
    volume = mounts["/var/lib/postgresql/data"]
    assert volume in compose["volumes"], "a named volume survives `docker compose down`"


def test_the_ui_offers_no_terminate_cancel_reset_or_batch_action():
    """Issue #10: one click must not end an incident outside the procedure."""
    from tests.deploy.compose_file import load_compose
    ui = load_compose()["services"]["temporal-ui"]["environment"]
    for setting in ("TEMPORAL_WORKFLOW_TERMINATE_DISABLED", "TEMPORAL_WORKFLOW_CANCEL_DISABLED",
                    "TEMPORAL_WORKFLOW_RESET_DISABLED", "TEMPORAL_BATCH_ACTIONS_DISABLED"):
        assert str(ui[setting]).lower() == "true", setting
    assert "TEMPORAL_WORKFLOW_SIGNAL_DISABLED" not in ui  # messages stay


def test_no_default_secret_and_nothing_published_beyond_this_host():
    """Issue #13: a required database password, ports bound to 127.0.0.1 only."""
    text = (load_compose.__globals__["COMPOSE_FILE"]).read_text(encoding="utf-8")
    assert "POSTGRES_PASSWORD:-" not in text and "${POSTGRES_PASSWORD:?" in text
    for name, service in services().items():
        for port in published_ports(service):
            assert port.startswith("127.0.0.1:"), (name, port)


def test_every_long_running_service_has_a_healthcheck_and_the_archive_a_volume():
    compose = load_compose()
    for name in ("postgresql", "temporal", "temporal-ui", "worker"):
        assert "healthcheck" in compose["services"][name], name
    worker = compose["services"]["worker"]
    archive = environment(worker)["YUQING_ARCHIVE"]
    volumes = {v.split(":")[1]: v.split(":")[0] for v in worker["volumes"]}
    assert volumes[archive] in compose["volumes"]
    assert worker["command"] == ["yuqing", "worker"]  # schedules are yuqing-setup's


def test_payloads_are_encrypted_and_the_ui_decrypts_through_the_codec_server():
    """Issue #13: the keys are a secret of the worker and the codec server, never a default."""
    compose = load_compose()
    for name in ("worker", "codec-server"):
        service = compose["services"][name]
        assert service["secrets"][0] == "yuqing_keys"
        assert environment(service)["YUQING_KEYS_FILE"] == "/run/secrets/yuqing_keys"
    assert compose["services"]["codec-server"]["secrets"] == ["yuqing_keys"]
    assert "<required" in interpolate(str(compose["secrets"]["yuqing_keys"]["file"]))
    codec = compose["services"]["codec-server"]
    assert "<required" in environment(codec)["YUQING_CODEC_TOKEN"]
    ui = environment(compose["services"]["temporal-ui"])
    assert ui["TEMPORAL_CODEC_ENDPOINT"].endswith(":8081") and "healthcheck" in codec


def test_two_workers_share_the_queue_with_the_mounted_worker_sizes() -> None:
    """docs/scaling.md: two replicas, each sized by the [worker] table it is given."""
    from pathlib import Path

    from starter.settings import load_worker_tuning
    worker = services()["worker"]
    assert worker["deploy"]["replicas"] >= 2
    mounts = {v.split(":")[1]: v.split(":")[0] for v in worker["volumes"]}
    config = mounts[environment(worker)["YUQING_CONFIG"]]
    tuning = load_worker_tuning(DOCKERFILE.parent / Path(config))
    assert tuning.max_cached_workflows >= 1000 and not tuning.sandbox


def test_the_server_is_sized_for_a_province_from_the_start() -> None:
    """History shards are fixed at creation; the task queue's partitions are explicit."""
    import yaml

    from temporal.names import TASK_QUEUE
    temporal = services()["temporal"]
    assert int(interpolate(environment(temporal)["NUM_HISTORY_SHARDS"])) >= 128
    dynamic = yaml.safe_load((DOCKERFILE.parent / "deploy" / "dynamicconfig.yaml").read_text())
    for key in ("matching.numTaskqueueReadPartitions", "matching.numTaskqueueWritePartitions"):
        [entry] = dynamic[key]
        assert entry["constraints"] == {"taskQueueName": TASK_QUEUE} and entry["value"] >= 1


def test_the_ui_logs_in_and_every_identity_is_proven():
    """Issue #22: OIDC login in the UI, its token passed to the codec server (which verifies
    it against the IdP's JWKS) and to the server, whose JWT authorizer checks every client."""
    compose = load_compose()
    ui = environment(compose["services"]["temporal-ui"])
    assert ui["TEMPORAL_AUTH_ENABLED"] == "true" and ui["TEMPORAL_AUTH_TYPE"] == "oidc"
    for setting in ("TEMPORAL_AUTH_PROVIDER_URL", "TEMPORAL_AUTH_ISSUER_URL",
                    "TEMPORAL_AUTH_CLIENT_ID", "TEMPORAL_AUTH_CLIENT_SECRET"):
        assert "<required" in interpolate(ui[setting]), setting  # no default identity provider
    assert interpolate(ui["TEMPORAL_AUTH_CALLBACK_URL"]).endswith("/auth/sso/callback")
    assert "openid" in ui["TEMPORAL_AUTH_SCOPES"].split(",")
    assert ui["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] == "true"
    codec = environment(compose["services"]["codec-server"])
    assert codec["YUQING_OIDC_ISSUER"] == ui["TEMPORAL_AUTH_ISSUER_URL"]  # the same provider
    server = environment(compose["services"]["temporal"])
    assert server["TEMPORAL_AUTH_AUTHORIZER"] == server["TEMPORAL_AUTH_CLAIM_MAPPER"] == "default"
    assert server["TEMPORAL_JWT_KEY_SOURCE1"] == codec["YUQING_OIDC_JWKS_URL"]
    assert server["USE_INTERNAL_FRONTEND"] == "true" and "internal-frontend" in server["SERVICES"]
    for name in ("worker", "temporal-admin-tools", "yuqing-setup"):  # service clients: a token
        client = environment(compose["services"][name])
        assert "<required" in interpolate(client["TEMPORAL_API_KEY"]), name
        assert client["TEMPORAL_TLS"] == "false", name
    assert environment(compose["services"]["worker"])["YUQING_IDENTITY"].startswith("service:")


def test_the_deployment_owns_the_roster_and_requires_verified_identities():
    from starter.settings import load_roster
    worker = services()["worker"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in worker["volumes"]}
    roster = load_roster(DOCKERFILE.parent / mounts[environment(worker)["YUQING_CONFIG"]])
    assert roster.require_verified


def test_the_worker_reads_its_channels_secrets_from_a_secret_file() -> None:
    """Issue #25: robot keys and mail/SMS credentials are a secret of the worker alone."""
    compose = load_compose()
    worker = compose["services"]["worker"]
    assert "yuqing_notice_secrets" in worker["secrets"]
    assert environment(worker)["YUQING_NOTICE_SECRETS"] == "/run/secrets/yuqing_notice_secrets"
    example = Path(interpolate(str(compose["secrets"]["yuqing_notice_secrets"]["file"])))
    lines = (COMPOSE_FILE.parent / example).read_text(encoding="utf-8").splitlines()
    assert all(not line.strip() or line.startswith("#") for line in lines)  # no value committed
