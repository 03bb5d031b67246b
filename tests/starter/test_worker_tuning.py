"""[worker] sizes one worker process: defaults without a file, one clear line for a bad value."""

import pytest

from starter.settings import ConfigError, load_worker_tuning
from workers.tuning import DEFAULT_CACHED_INCIDENTS, MAX_CACHED_INCIDENTS, WorkerTuning


def test_without_a_file_the_worker_caches_the_default_and_runs_unsandboxed(tmp_path):
    tuning = load_worker_tuning(tmp_path / "missing.toml")
    assert tuning == WorkerTuning()
    assert tuning.max_cached_workflows == DEFAULT_CACHED_INCIDENTS and not tuning.sandbox


def test_the_table_sets_cache_concurrency_and_runner(tmp_path):
    config = tmp_path / "yuqing.toml"
    config.write_text("[worker]\nmax_cached_workflows = 20000\nmax_concurrent_workflow_tasks = 50"
                      "\nsandbox = true\n", encoding="utf-8")
    tuning = load_worker_tuning(config)
    assert (tuning.max_cached_workflows, tuning.max_concurrent_workflow_tasks, tuning.sandbox) \
        == (20000, 50, True)
    assert tuning.max_concurrent_activities is None  # the SDK's default


@pytest.mark.parametrize("line, field", [
    (f"max_cached_workflows = {MAX_CACHED_INCIDENTS + 1}", "max_cached_workflows"),
    ("max_cached_workflows = -1", "max_cached_workflows"),
    ("max_concurrent_workflow_tasks = 1", "max_concurrent_workflow_tasks"),
    ("cache = 100", "cache"),  # a misspelt key is refused, not silently ignored
    ('max_cached_workflows = "5000"', "max_cached_workflows"),  # a string is no number
    ('sandbox = "no"', "sandbox"),
])
def test_a_bad_value_is_one_line_naming_file_table_and_field(tmp_path, line, field):
    config = tmp_path / "yuqing.toml"
    config.write_text(f"[worker]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_worker_tuning(config)
    message = str(refused.value)
    assert str(config) in message and "[worker]" in message and field in message
    assert "\n" not in message


def test_an_unreadable_file_is_one_line_too(tmp_path):
    config = tmp_path / "yuqing.toml"
    config.write_bytes(b"[worker]\nsandbox = true # \xff\xfe\n")
    with pytest.raises(ConfigError, match="yuqing.toml"):
        load_worker_tuning(config)
    with pytest.raises(ConfigError, match="cannot be read"):
        load_worker_tuning(tmp_path)  # a folder, not a file
