from starter.ui_links import ui_base_url, workflow_url


def test_ui_follows_dev_server_port_convention(monkeypatch) -> None:
    monkeypatch.delenv("YUQING_UI_URL", raising=False)
    assert ui_base_url("localhost:7233") == "http://localhost:8233"


def test_ui_url_can_be_configured(monkeypatch) -> None:
    monkeypatch.setenv("YUQING_UI_URL", "https://temporal.example.gov.cn/")
    assert ui_base_url("temporal:7233") == "https://temporal.example.gov.cn"


def test_workflow_url_points_at_run_history() -> None:
    assert workflow_url("http://localhost:8233", "default", "incident-NT-1", "r1") == (
        "http://localhost:8233/namespaces/default/workflows/incident-NT-1/r1/history"
    )
