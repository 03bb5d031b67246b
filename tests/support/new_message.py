"""The steps of docs/architecture.md's "A new message", as edits of a copy of the repository.

The example, ``record_hearing`` (听证记录), is written once in tests/domain/test_new_message.py,
which drives it without a server and checks that the document quotes it and names the files
these steps change; tests/docs/test_new_message_steps.py carries the steps out in a copy of
the working tree and runs the document's commands there. Each step finds where it writes
by the file's syntax tree (``ast``: an entry of a list, a set or a dict, the end of a dict,
an import), never by the file's layout, so a reformatted file does not break it; a step
whose target is gone fails saying what to rewrite.
"""

import ast
import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
EXAMPLE = ROOT / "tests" / "domain" / "test_new_message.py"

# Written by the document's commands, not by hand.
GENERATED = ["workflows/incident.py", "README.md"]

Edit = Callable[[str], str]


def section_of(first: str, until: str) -> str:
    """The document's text from ``first`` up to ``until``."""
    text = DOC.read_text(encoding="utf-8")
    return text.split(first, 1)[1].split(until, 1)[0]


def section() -> str:
    """The document's "A new message", up to "A new window"."""
    return section_of("**A new message**", "**A new window**")


def commands(text: str | None = None) -> list[str]:
    """The shell block of this section or of ``text`` (another recipe's), a command a line."""
    block = re.search(r"```sh\n(.*?)```", section() if text is None else text, re.S)
    assert block, "the section shows no commands"
    return block.group(1).strip().splitlines()


def examples() -> dict[str, str]:
    """The example's blocks, by the file the document puts each in."""
    source = EXAMPLE.read_text(encoding="utf-8")
    return {path: code.strip() + "\n" for path, code in re.findall(
        r"# example: [^\n]*?, in (\S+) -+\n(.*?)# end of example", source, re.S)}


# ------------------------------------------------------------ finding a place by the syntax tree

def offset(text: str, line: int, column: int) -> int:
    """The position in ``text`` of an ``ast`` position (lines from 1, columns in UTF-8 bytes)."""
    lines = text.splitlines(keepends=True)
    return sum(map(len, lines[:line - 1])) + len(lines[line - 1].encode()[:column].decode())


def assigned(tree: ast.Module, name: str) -> ast.expr:
    """The value a module-level ``name = …`` (annotated or not) gives, unwrapping
    ``frozenset({…})``."""
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and any(
                isinstance(t, ast.Name) and t.id == name
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            value = node.value
            return value.args[0] if isinstance(value, ast.Call) and value.args else value
    raise AssertionError(f"no module-level {name} = …: the step needs rewriting")


def key_of(node: ast.expr | None) -> str | None:
    """``"record_response"``, ``handling`` and ``m.RecordResponse`` by their last name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return node.id if isinstance(node, ast.Name) else \
        node.attr if isinstance(node, ast.Attribute) else None


def entry(container: ast.expr, key: str) -> ast.expr:
    """The element ``key`` of a list or a set; the value at ``key`` of a dict."""
    pairs = zip(container.keys, container.values) if isinstance(container, ast.Dict) else \
        [(e, e) for e in container.elts] if isinstance(container, ast.List | ast.Set) else []
    found = [value for k, value in pairs if key_of(k) == key]
    assert len(found) == 1, f"{key!r} is not there once: the step needs rewriting"
    return found[0]


def inserted(text: str, node: ast.stmt | ast.expr, addition: str) -> str:
    """``addition`` written right after ``node`` (of ``text``'s tree)."""
    assert node.end_lineno is not None and node.end_col_offset is not None
    end = offset(text, node.end_lineno, node.end_col_offset)
    return text[:end] + addition + text[end:]


def after(place: Callable[[ast.Module], ast.expr], addition: str) -> Edit:
    """``addition`` right after the node ``place`` finds in the file's tree."""
    return lambda text: inserted(text, place(ast.parse(text)), addition)


def last(container: ast.expr) -> ast.expr:
    """The last element of a list or a set."""
    assert isinstance(container, ast.List | ast.Set) and container.elts, \
        "not a list or a set with elements: the step needs rewriting"
    return container.elts[-1]


def last_entry(name: str, entry_text: str) -> Edit:
    """``entry_text`` as the last entry of the dict ``name``, on a line of its own, indented
    as the dict's last key is."""
    def edit(text: str) -> str:
        mapping = assigned(ast.parse(text), name)
        assert isinstance(mapping, ast.Dict) and mapping.keys and mapping.keys[-1], \
            f"{name} is no longer a dict ending in a key: the step needs rewriting"
        indent = " " * mapping.keys[-1].col_offset
        return inserted(text, mapping.values[-1], ",\n" + indent + entry_text)
    return edit


def importing(module: str, *names: str) -> Edit:
    """``names`` added to the file's ``from module import …`` (written anew, sorted, wrapped
    at 100 columns as the project writes a long import); a new import line after the last
    top-level import when there is none."""
    def edit(text: str) -> str:
        tree = ast.parse(text)
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        assert imports, "the file imports nothing: the step needs rewriting"
        existing = [n for n in imports if isinstance(n, ast.ImportFrom) and n.module == module
                    and n.level == 0]
        if not existing:
            return inserted(text, imports[-1], "\n" + import_line(module, sorted(names)))
        node = existing[0]
        had = [a.name + (f" as {a.asname}" if a.asname else "") for a in node.names]
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = offset(text, node.lineno, node.col_offset)
        end = offset(text, node.end_lineno, node.end_col_offset)
        return text[:start] + import_line(module, sorted({*had, *names})) + text[end:]
    return edit


def import_line(module: str, names: list[str]) -> str:
    """One line, or the names wrapped in parentheses when that would pass 100 columns."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= 100:
        return line
    wrapped = textwrap.fill(", ".join(names) + ",", width=100, initial_indent="    ",
                            subsequent_indent="    ", break_on_hyphens=False)
    return f"from {module} import (\n{wrapped}\n)"


def appended(code: str) -> Edit:
    return lambda text: text.rstrip("\n") + "\n\n\n" + code


# ------------------------------------------------------------ the steps

# What the example file of step 5 holds: one message, sendable as it is.
EXAMPLE_MESSAGE = {"unit_id": "nt-zjj", "held_at": "2026-11-20T10:00:00+08:00",
                   "summary": "已召开听证会，听取居民意见", "actor": "住建局 王五"}

# The step's own test, beside the paragraph's others (step 7).
STEP_TEST = '''def test_a_hearing_is_recorded():
    state, _ = reported()
    send(state, "record_hearing", 2, unit_id="u1", held_at=at(1).isoformat(), summary="已听证")
    assert [t.unit_id for t in timeline(state, "record_hearing")] == ["u1"]
'''
DRIVER = "tests.domain.procedure.drive"


def then(*edits: Edit) -> Edit:
    """The edits one after the other (a step that changes a file in several places)."""
    def edit(text: str) -> str:
        for one in edits:
            text = one(text)
        return text
    return edit


def steps() -> dict[str, Edit]:
    """What each documented step does to the file it names, in the document's order."""
    code = examples()
    return {
        "domain/messages.py": appended(code["domain/messages.py"]),
        "domain/procedure/handling.py": then(importing("domain.messages", "RecordHearing"),
                                             appended(code["domain/procedure/handling.py"])),
        "domain/engine/registry.py": after(
            lambda tree: entry(entry(assigned(tree, "MESSAGES_BY_PARAGRAPH"), "handling"),
                               "RecordResponse"), ", m.RecordHearing"),
        "domain/roster.py": after(lambda tree: last(assigned(tree, "UNIT_MESSAGES")),
                                  ', "record_hearing"'),
        "examples/messages/record_hearing.json": lambda _: json.dumps(
            EXAMPLE_MESSAGE, ensure_ascii=False, indent=2) + "\n",
        "tests/domain/engine/test_registry.py": then(
            importing(DRIVER, "at"),
            after(lambda tree: entry(assigned(tree, "CONTRACT"), "record_response"),
                  ', "record_hearing"'),
            after(lambda tree: entry(assigned(tree, "PARAGRAPH_OF"), "record_response"),
                  ', "record_hearing": handling'),
            last_entry("WELL_FORMED", '"record_hearing": {"unit_id": "u1", '
                                      '"held_at": at(1).isoformat(), "summary": "已听证"}')),
        "tests/domain/procedure/test_handling.py": then(
            importing(DRIVER, "at", "reported", "send", "timeline"), appended(STEP_TEST)),
    }

