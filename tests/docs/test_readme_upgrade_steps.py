"""README, "Raising the pin to a new release, in order": each command its steps give is the
repository's, and takes what the step gives it."""

import os
import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TITLE = "#### Raising the pin to a new release, in order"


def commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text("utf-8")
    steps = readme.split(TITLE, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", steps, re.DOTALL)
    return [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()
            if line.strip()]


def scripts_in(words: list[str]) -> list[str]:
    return [word for word in words if word.startswith("scripts/")]


def running(path: str) -> list[list[str]]:
    return [words for words in commands() if path in words]


def test_every_script_the_steps_run_is_there_and_runs_as_written():
    run = [words for words in commands() if scripts_in(words)]
    assert len(run) == 4
    for words in run:
        [name] = scripts_in(words)
        assert (ROOT / name).is_file(), name
        at = words.index(name)
        if not (at and words[at - 1].endswith("python")):  # run directly
            assert os.access(ROOT / name, os.X_OK), name


def test_the_whole_suite_is_what_the_variable_asks_of_replay_newest():
    assert running("scripts/replay_newest.sh") == [
        ["YUQING_NEWEST_WHOLE_SUITE=1", "scripts/replay_newest.sh"]]
    text = (ROOT / "scripts/replay_newest.sh").read_text("utf-8")
    assert '"${YUQING_NEWEST_WHOLE_SUITE:-0}" = 1' in text and "TESTS=(tests)" in text


def test_the_memory_runs_measure_memory_alone_at_the_open_count_given():
    from scripts import bench_speed as bench
    runs = running("scripts/bench_speed.py")
    assert len(runs) == 2
    for words in runs:
        args = bench.parse(words[words.index("scripts/bench_speed.py") + 1:])
        assert args.memory_only and args.open == [1000]


def test_venv_is_raised_within_the_range_pyproject_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    allowed = next(d for d in project["dependencies"] if d.startswith("temporalio"))
    [install] = [w for w in commands() if w[:5] == [".venv/bin/python", "-m", "pip", "install",
                                                    "--upgrade"]]
    assert install[5:] == [allowed]


def test_the_lock_is_given_the_package_to_raise():
    [words] = running("scripts/lock-requirements")
    assert words[1:] == ["--upgrade-package", "temporalio"]
    text = (ROOT / "scripts/lock-requirements").read_text("utf-8")
    assert re.search(r'pip-compile"[^\n]*\\\n[^\n]*"\$@"', text), "its arguments reach pip-compile"
