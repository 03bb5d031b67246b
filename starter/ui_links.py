"""Links into the Temporal Web UI, so a CLI user can click through to an incident's page."""

from __future__ import annotations

import os
from urllib.parse import quote

UI_URL_ENV = "YUQING_UI_URL"


def ui_base_url(target_host: str) -> str:
    """YUQING_UI_URL, else the dev server's convention: same host, gRPC port + 1000."""
    configured = os.environ.get(UI_URL_ENV)
    if configured:
        return configured.rstrip("/")
    host, _, port = target_host.rpartition(":")
    if not host or not port.isdigit():
        return f"http://{target_host}"
    return f"http://{host}:{int(port) + 1000}"


def workflow_url(base_url: str, namespace: str, workflow_id: str, run_id: str | None = None) -> str:
    url = f"{base_url}/namespaces/{quote(namespace, safe='')}/workflows/{quote(workflow_id, safe='')}"
    return f"{url}/{quote(run_id, safe='')}/history" if run_id else url
