"""Read docker-compose.yml the way `docker compose` would, without Docker."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?::?([-?])([^}]*))?\}")


def interpolate(text: str) -> str:
    """Compose interpolation with an empty environment: defaults apply, ``$$`` is a literal
    ``$``, a required variable (``${X:?message}``) reads as ``<required X>``."""
    def value(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        if m.group(2) == "?":
            return f"<required {m.group(1)}>"
        return m.group(3) or ""
    return _VARIABLE.sub(value, text)


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def services() -> dict:
    return load_compose()["services"]


def environment(service: dict) -> dict[str, str]:
    """``environment`` as a dict whether written as a mapping or a list, interpolated."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: interpolate(str(value)) for key, value in raw.items()}


def shell_script(service: dict) -> str:
    """The script a service runs via ``entrypoint: [/bin/sh, -c]`` and a one-item command."""
    assert service.get("entrypoint") == ["/bin/sh", "-c"], service.get("entrypoint")
    command = service["command"]
    return interpolate(command[0] if isinstance(command, list) else command)
