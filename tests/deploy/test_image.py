"""Issue #24: an image and a compose file that would boot, checked from the files.

Tags well formed and the embedded dev server's, stated in the README; every volume's path
created and owned in the image; keys readable by its user; a CJK font; a hashed lock; the
schema and schedules jobs; nothing `docker compose` or `docker-compose` 1.29 refuses.
"""

import re
import shlex
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from tests.deploy.compose_file import (
    DOCKERFILE, ROOT, environment, interpolate, load_compose, services, shell_script,
)
from workers.dev_server import find_temporal_binary

README = (ROOT / "README.md").read_text(encoding="utf-8")
LOCK = ROOT / "requirements.lock"
SEMVER = r"\d+\.\d+\.\d+"
# admin-tools are published as 1.xx, 1.xx.y, or 1.xx.y-tctl-a.b.c-cli-d.e.f
ADMIN_TOOLS_TAG = rf"\d+\.\d+(\.\d+)?(-tctl-{SEMVER}-cli-{SEMVER})?"


def image(service: str) -> tuple[str, str]:
    name, _, tag = interpolate(services()[service]["image"]).partition(":")
    return name, tag


def dockerfile_commands() -> list[str]:
    """Each instruction on one line (continuations joined), comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def shell_words(instruction: str) -> list[list[str]]:
    """A RUN's commands, split at &&."""
    return [shlex.split(part) for part in instruction.removeprefix("RUN ").split("&&")]


def test_only_keys_both_compose_tools_accept() -> None:
    top = set(load_compose())
    assert "name" not in top, "docker-compose 1.29 refuses a top-level name"
    assert {k for k in top if not k.startswith("x-")} <= {"services", "volumes", "secrets",
                                                          "networks", "configs"}


def test_tags_are_well_formed_and_agree() -> None:
    server, server_tag = image("temporal")
    ui, ui_tag = image("temporal-ui")
    assert (server, ui) == ("temporalio/server", "temporalio/ui")
    assert re.fullmatch(SEMVER, server_tag) and re.fullmatch(SEMVER, ui_tag)
    for job in ("temporal-schema", "temporal-admin-tools"):
        tools, tools_tag = image(job)
        assert tools == "temporalio/admin-tools" and re.fullmatch(ADMIN_TOOLS_TAG, tools_tag)
        # the schema tool must be the server's own version
        assert tools_tag.split("-")[0] in (server_tag, server_tag.rsplit(".", 1)[0])


def test_the_versions_are_developments_embedded_server_and_the_readme_says_so() -> None:
    version = subprocess.run([str(find_temporal_binary()), "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    embedded = re.search(rf"Server ({SEMVER}), UI ({SEMVER})", version)
    assert embedded, version
    assert image("temporal")[1] == embedded.group(1)
    assert image("temporal-ui")[1] == embedded.group(2)
    for service in ("temporal", "temporal-admin-tools", "temporal-ui"):
        name, tag = image(service)
        assert f"`{name}:{tag}`" in README, f"README must state {name}:{tag}"


def test_every_volume_path_is_created_and_owned_by_the_worker_in_the_image() -> None:
    commands = dockerfile_commands()
    words = [w for line in commands if line.startswith("RUN ") for w in shell_words(line)]
    created = {p for w in words if w[:2] == ["mkdir", "-p"] for p in w[2:]}
    (useradd,) = [w for w in words if w[:1] == ["useradd"]]
    user, uid = useradd[-1], useradd[useradd.index("--uid") + 1]
    owned = {p for w in words if w[:1] == ["chown"] for p in w[w.index(user) + 1:]}
    assert f"USER {user}" in commands and uid == "10001"
    compose = load_compose()
    for name in ("worker", "yuqing-setup", "codec-server"):
        assert compose["services"][name]["image"] == compose["services"]["worker"]["image"]
    worker = compose["services"]["worker"]
    mounts = [v.split(":") for v in worker["volumes"]]
    named = [target for source, target, *_ in mounts if source in compose["volumes"]]
    assert named, worker["volumes"]
    for path in named:
        assert path in created, f"{path} is not created in the image"
        assert any(path == o or path.startswith(o.rstrip("/") + "/") for o in owned), path
    volume = next(line for line in commands if line.startswith("VOLUME "))
    assert set(named) <= set(eval(volume.removeprefix("VOLUME ")))  # a JSON list
    env = environment(worker)
    assert {env["YUQING_OUTBOX"], env["YUQING_ARCHIVE"]} <= set(named)


def test_the_keys_secret_is_documented_readable_by_the_workers_uid() -> None:
    compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for text in (README, compose_text):
        assert "chown 10001:10001 keys.json && chmod 0400 keys.json" in re.sub(r"\s*#?\s+", " ", text)


def test_the_image_has_the_cjk_font_the_charts_ask_for_first() -> None:
    from activities.bulletin_files import CJK_FONTS
    run = " ".join(line for line in dockerfile_commands() if line.startswith("RUN "))
    assert re.search(r"apt-get install -y --no-install-recommends [^&]*\bfonts-noto-cjk\b", run)
    assert CJK_FONTS[0] == "Noto Sans CJK SC"  # what fonts-noto-cjk provides
    assert "MPLCONFIGDIR=/var/cache/yuqing/matplotlib" in " ".join(dockerfile_commands())


def test_the_image_installs_the_hashed_lock_and_the_lock_covers_pyproject() -> None:
    commands = dockerfile_commands()
    assert "COPY requirements.lock ./" in commands
    assert "RUN pip install --require-hashes -r requirements.lock" in commands
    assert any(line.startswith("RUN pip install --no-deps . ") for line in commands)
    lock = LOCK.read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, flags=re.MULTILINE))
    entries = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", lock.split("\n\n", 1)[-1])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    normal = {name.lower().replace("_", "-"): version for name, version in pinned.items()}
    for dependency in project["dependencies"]:
        requirement = Requirement(dependency)
        version = normal.get(requirement.name.lower().replace("_", "-"))
        assert version, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(version), (dependency, version)


def test_a_setup_job_applies_the_schedules_and_the_worker_only_works() -> None:
    all_services = services()
    setup = all_services["yuqing-setup"]
    assert setup["command"] == ["yuqing", "schedules", "apply"]
    assert setup["depends_on"]["temporal-admin-tools"]["condition"] == "service_completed_successfully"
    assert setup["restart"].startswith("on-failure")
    assert environment(setup)["TEMPORAL_ADDRESS"] == environment(all_services["worker"])["TEMPORAL_ADDRESS"]
    assert all_services["worker"]["command"] == ["yuqing", "worker"]
    schema = all_services["temporal-schema"]
    assert schema["depends_on"]["postgresql"]["condition"] == "service_healthy"
    script = shell_script(schema)  # re-run on every `up`: an existing database is kept
    creates = [line for line in script.splitlines() if line.strip().endswith(" create")
               or " create ||" in line]
    assert len(creates) == 2 and all("||" in line for line in creates), creates
    for database in ("temporal", "temporal_visibility"):
        assert f"--db {database} update-schema -d $schema/" in script


def test_tests_never_install_and_the_test_command_does() -> None:
    """scripts/install-browser is the one place that installs; ./scripts/test runs it."""
    installer = "apt" + "-get"  # spelled apart so this file does not match itself
    runs_one = re.compile(r"(?:run|Popen|call|check_output|system)\((?:(?!\)).)*"
                          rf"(?:{installer}|install-browser)", re.DOTALL)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py")
                 if runs_one.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    test_command = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert re.search(r"^\./scripts/install-browser\b", test_command, flags=re.MULTILINE)
    assert Path(ROOT / "scripts" / "install-browser").read_text().count(installer) >= 1
