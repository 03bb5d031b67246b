"""One-paragraph explanations of why an input file was refused (no tracebacks for users)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails


def describe_input_error(path: Path, error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{path}: 文件不存在 / file not found."
    if isinstance(error, IsADirectoryError):
        return f"{path}: 这是目录，不是 JSON 文件 / is a directory, not a JSON file."
    if isinstance(error, OSError):
        return f"{path}: 无法读取 / cannot be read: {error.strerror or error}."
    if isinstance(error, UnicodeDecodeError):
        return f"{path}: 不是 UTF-8 文本 / is not UTF-8 text ({error.reason} at byte {error.start})."
    if isinstance(error, json.JSONDecodeError):
        return (
            f"{path}: 不是有效的 JSON / is not valid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})."
        )
    if isinstance(error, ValidationError):
        problems = "; ".join(_describe_problem(p) for p in error.errors())
        count = error.error_count()
        return (
            f"{path}: 内容不符合上报格式 / does not match the incident start format "
            f"({count} problem{'s' if count != 1 else ''}): {problems}. "
            "See examples/nantong-routine.json and README.md, \"Reporting an incident\"."
        )
    return f"{path}: {error}"


def _describe_problem(problem: ErrorDetails) -> str:
    location = ".".join(str(part) for part in problem.get("loc", ())) or "(top level)"
    return f"{location}: {problem.get('msg', 'invalid')}"


def loads_json(text: str) -> object:
    """``json.loads``, where a structure nested too deeply for Python is a JSON error too
    (one clear line, never a ``RecursionError`` traceback)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("嵌套过深 / nested too deeply", text[:100], 0) from None
