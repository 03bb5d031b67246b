"""`yuqing send` input (issue #20): a structure nested too deeply is one clear line."""

import pytest

from starter.cli import CliError, _read_payload


def test_a_100000_deep_message_is_refused_in_one_line(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CliError, match="nested too deeply") as refused:
        _read_payload(f"@{deep}")
    assert "\n" not in str(refused.value)
