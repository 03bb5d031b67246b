"""A workflow log call never fails the workflow task. The standard library's ``makeRecord``
raises ``KeyError`` for an ``extra=`` key a ``LogRecord`` reserves (``message``, ``name``,
``args`` …); in workflow code that is a task that fails for ever (the worker treats no error
as the workflow's): a stuck incident. So in the code that runs in workflows, a log call's
``extra`` is a dict of literal string keys, none of them reserved."""

import ast
import logging

import pytest

from tests.layering.sources import ROOT, modules
from tests.layering.workflow_code import in_workflows

RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
LEVELS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
# Built by a function that renames a reserved key (``message`` → ``message_name``), and
# tested to do so below: the frozen shell's wrapper, whose call sites pass fields freely.
RENAMING = {"legacy/log.py": "_extra"}


def unsafe_extras(tree: ast.AST, renaming: str | None = None) -> list[str]:
    """Each log call (``<logger>.<level>(…, extra=…)``) whose ``extra`` is not a dict of
    literal keys (built otherwise, or spread with ``**``), or names a reserved key."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in LEVELS):
            continue
        for extra in (k.value for k in node.keywords if k.arg == "extra"):
            if isinstance(extra, ast.Call) and isinstance(extra.func, ast.Name) \
                    and extra.func.id == renaming:
                continue
            keys = extra.keys if isinstance(extra, ast.Dict) else [None]
            literal = [k.value for k in keys
                       if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if len(literal) < len(keys):
                found.append(f"{node.lineno} extra not literal: {ast.unparse(extra)}")
            found += [f"{node.lineno} reserved {key!r}" for key in literal if key in RESERVED]
    return found


def test_workflow_log_calls_name_no_reserved_key():
    """Over the shells, the temporal layer, and whatever else runs in workflow code."""
    checked = in_workflows() | {p for package in ("workflows", "legacy", "temporal")
                                for p in modules(package)}
    offending = [f"{path.relative_to(ROOT)}:{where}" for path in sorted(checked)
                 for where in unsafe_extras(ast.parse(path.read_text(encoding="utf-8")),
                                            RENAMING.get(str(path.relative_to(ROOT))))]
    assert offending == []


def test_the_log_check_finds_what_it_is_for():
    flagged = ast.parse(
        "workflow.logger.info('refused', extra={'message': m, 'reason': r})\n"
        "workflow.logger.warning('x', extra={'name': n})\n"
        "workflow.logger.info('x', extra=fields)\n"
        "workflow.logger.info('x', extra={**fields})\n"
        "workflow.logger.info('x', extra={key: 1})\n"
        "log.error('x', extra=dict(args=1))\n")
    assert unsafe_extras(flagged) == [
        "1 reserved 'message'", "2 reserved 'name'", "3 extra not literal: fields",
        "4 extra not literal: {**fields}", "5 extra not literal: {key: 1}",
        "6 extra not literal: dict(args=1)"]
    passed = ast.parse(
        "workflow.logger.info('refused', extra={'message_name': m, 'reason': r})\n"
        "workflow.logger.info('continue_as_new')\n"
        "workflow.logger.warning('x', extra=_extra(fields))\n")
    assert unsafe_extras(passed, renaming="_extra") == []
    assert unsafe_extras(passed)[0].startswith("3 extra not literal")


def test_every_reserved_key_would_fail_and_the_frozen_shell_renames_it():
    """The set is the standard library's own (each key of it refused, its renaming taken),
    and the wrapper the check trusts renames each key of it."""
    from legacy.log import _extra
    logger = logging.getLogger("check")
    for key in RESERVED:
        with pytest.raises(KeyError):
            logger.makeRecord("check", logging.INFO, "f", 1, "m", None, None, extra={key: 1})
        logger.makeRecord("check", logging.INFO, "f", 1, "m", None, None,
                          extra={f"{key}_name": 1})
    assert not _extra(dict.fromkeys(RESERVED, 1)).keys() & RESERVED
