"""The steps of docs/architecture.md's "A new rule about an existing message", as edits of a
copy of the repository.

The example, a 签收 refused 30 days after the written 交办单 (rules version 4), is written
only in the document: each numbered step names a file and shows what goes into it, and
``steps()`` reads those blocks from the document itself, so what a test carries out is
exactly what a reader is shown. A block is merged by its syntax tree (``ast``), never by the
file's layout: an import joins the file's imports; ``class X:`` or ``def f(…):`` whose body
starts with ``...`` adds the rest of its body to the file's own X (after its last field
without a default) or f (at its end); a module-level name the file already assigns is
replaced where it stands, and the new statements before it in the block go just above it,
unless ``...`` stands for what it holds: ``NAME = {...: ..., k: v}`` adds the entries at the
end of the file's dict, ``NAME = f(..., k=v)`` replaces the keywords of the file's call;
anything else is appended. A ``text`` block is a line for the module's list of versions (its
docstring). tests/docs/test_new_rule_steps.py carries the steps out, and
tests/docs/test_new_profile_steps.py those of "A new profile", read and merged alike.
"""

import ast
import functools
import re
from pathlib import Path

from tests.support import new_message
from tests.support.new_message import Edit, importing, last_entry, offset, section_of, then

ROOT = Path(__file__).resolve().parents[2]
# Names only the example brings: the product must not have them before the steps run.
NEW_NAMES = ("ack_refused_after", "ACK_TIME_LIMIT_RULES")


def section() -> str:
    """The document's "A new rule about an existing message", up to "A new message"."""
    return section_of("**A new rule about an existing message**", "**A new message**")


def blocks(text: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Each numbered step's file and its blocks (language, code), in the document's order,
    of this section or of ``text`` (another recipe's)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path, body in re.findall(r"^\d+\. `([^`]+)`:(.*?)(?=^\d+\. `|^Then )",
                                 section() if text is None else text, re.M | re.S):
        found[path] = re.findall(r"```(\w+)\n(.*?)```", body, re.S)
    return found


def commands(text: str | None = None) -> list[str]:
    """The shell block of this section or of ``text``, a command a line."""
    return new_message.commands(section() if text is None else text)


# ------------------------------------------------------------ merging a block by its syntax tree

def whole_lines(code: str, first: ast.stmt, last: ast.stmt | None = None) -> str:
    """The lines of ``code`` from ``first``'s (its decorators') to ``last``'s end, comments
    and blank lines as written."""
    decorators = getattr(first, "decorator_list", [])
    start = decorators[0].lineno if decorators else first.lineno
    end = (last or first).end_lineno
    return "\n".join(code.splitlines()[start - 1:end])


def line_end(text: str, lineno: int) -> int:
    """Where line ``lineno`` (from 1) of ``text`` ends, before its newline."""
    return offset(text, lineno, len(text.splitlines()[lineno - 1].encode()))


def names_of(node: ast.stmt) -> set[str]:
    """What a module-level statement defines or assigns."""
    if isinstance(node, ast.ClassDef | ast.FunctionDef):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, ast.AnnAssign) else []
    return {t.id for t in targets if isinstance(t, ast.Name)}


def already(text: str, node: ast.stmt) -> ast.stmt | None:
    """The file's own module-level statement defining or assigning what ``node`` does."""
    wanted = names_of(node)
    return next((n for n in ast.parse(text).body if wanted and names_of(n) == wanted), None)


def continues(node: ast.stmt) -> bool:
    """``class X: ...`` or ``def f(…): ...`` and more: the rest adds to a body the file has."""
    return isinstance(node, ast.ClassDef | ast.FunctionDef) and len(node.body) > 1 \
        and isinstance(node.body[0], ast.Expr) \
        and isinstance(node.body[0].value, ast.Constant) and node.body[0].value.value is ...


def extended(text: str, node: ast.ClassDef | ast.FunctionDef, code: str) -> str:
    """The rest of ``node``'s body added to the file's own: after a class's last field
    without a default (a dataclass's fields with one must follow), at a function's end."""
    own = already(text, node)
    assert isinstance(own, type(node)), f"no {node.name} to add to: the step needs rewriting"
    fields = [n for n in own.body if isinstance(n, ast.AnnAssign) and n.value is None]
    anchor = fields[-1] if isinstance(own, ast.ClassDef) and fields else own.body[-1]
    assert anchor.end_lineno is not None
    end = line_end(text, anchor.end_lineno)
    return text[:end] + "\n" + whole_lines(code, node.body[1], node.body[-1]) + text[end:]


def amends(node: ast.stmt) -> bool:
    """``NAME = {...: ..., k: v}`` or ``NAME = f(..., k=v)``: ``...`` stands for what the
    file's own NAME has."""
    value = node.value if isinstance(node, ast.Assign) else None
    first = value.keys[0] if isinstance(value, ast.Dict) and value.keys else \
        value.args[0] if isinstance(value, ast.Call) and value.args else None
    return isinstance(first, ast.Constant) and first.value is ...


def amended(text: str, node: ast.Assign, code: str) -> str:
    """The file's dict NAME gains the block's entries after ``...: ...`` at its end; the
    file's call NAME takes the block's keywords after ``...`` in place of its own."""
    [name] = names_of(node)
    shown = functools.partial(ast.get_source_segment, code)
    if isinstance(node.value, ast.Dict):
        for key, value in zip(node.value.keys[1:], node.value.values[1:]):
            text = last_entry(name, f"{shown(key)}: {shown(value)}")(text)
        return text
    assert isinstance(node.value, ast.Call)
    for keyword in node.value.keywords:
        own = already(text, node)
        call = own.value if isinstance(own, ast.Assign) else None
        assert isinstance(call, ast.Call), f"no call {name} = …: the step needs rewriting"
        found = [k.value for k in call.keywords if k.arg == keyword.arg]
        assert found, f"{name} has no {keyword.arg}= to replace: the step needs rewriting"
        old = found[0]
        assert old.end_lineno is not None and old.end_col_offset is not None
        text = text[:offset(text, old.lineno, old.col_offset)] + str(shown(keyword.value)) \
            + text[offset(text, old.end_lineno, old.end_col_offset):]
    return text


def merged(code: str) -> Edit:
    """A Python block merged into the file (see the module's docstring)."""
    def edit(text: str) -> str:
        pending: list[ast.stmt] = []
        for node in ast.parse(code).body:
            own = already(text, node)
            if isinstance(node, ast.ImportFrom) and node.module:
                text = importing(node.module, *(a.name for a in node.names))(text)
            elif continues(node):
                assert isinstance(node, ast.ClassDef | ast.FunctionDef)
                text = extended(text, node, code)
            elif amends(node):
                assert isinstance(node, ast.Assign)
                text = amended(text, node, code)
            elif own is not None and own.end_lineno is not None:
                new = whole_lines(code, (pending or [node])[0], node)
                end = line_end(text, own.end_lineno)
                text = text[:offset(text, own.lineno, 0)] + new + text[end:]
                pending = []
            else:
                pending.append(node)
        if pending:
            added = "\n\n\n".join(whole_lines(code, n) for n in pending)
            text = text.rstrip("\n") + "\n\n\n" + added + "\n"
        return text
    return edit


def listed(item: str) -> Edit:
    """``item`` after the last numbered item of the module's docstring."""
    def edit(text: str) -> str:
        docstring = ast.parse(text).body[0]
        assert isinstance(docstring, ast.Expr) and docstring.end_lineno is not None, \
            "the module has no docstring: the step needs rewriting"
        lines = text.splitlines(keepends=True)
        numbered = [i for i in range(docstring.end_lineno) if re.match(r"\d+\. ", lines[i])]
        assert numbered, "the docstring lists no versions: the step needs rewriting"
        end = numbered[-1] + 1
        while end < docstring.end_lineno - 1 and lines[end].startswith("   "):
            end += 1  # the item's own continuation lines
        return "".join(lines[:end]) + item.rstrip("\n") + "\n" + "".join(lines[end:])
    return edit


def steps(text: str | None = None) -> dict[str, Edit]:
    """What each documented step (of this section or of ``text``) does to the file it names,
    in the document's order."""
    merge = {"python": merged, "text": listed}
    return {path: then(*(merge[language](code) for language, code in found))
            for path, found in blocks(text).items()}


# ------------------------------------------------------------ what every recipe's test checks

PRODUCT = ("domain", "workflows", "legacy", "temporal", "workers", "activities", "starter",
           "scripts")


def product_naming(names: tuple[str, ...]) -> list[Path]:
    """The product's modules that name any of ``names`` (an example's, which none should)."""
    modules = [p for folder in PRODUCT for p in (ROOT / folder).rglob("*.py")]
    assert modules
    return [p for p in modules for name in names if name in p.read_text(encoding="utf-8")]


def changes_in_order(files: list[str], text: str | None = None) -> None:
    """The steps of this section (or of ``text``) name ``files``, in that order, and each
    changes its file into one that still parses."""
    assert list(blocks(text)) == files
    for name, step in steps(text).items():
        before = (ROOT / name).read_text(encoding="utf-8")
        after = step(before)
        assert after != before and ast.parse(after), name


def alike_when_reformatted(step: Edit, name: str) -> None:
    """A step finds its places in the file's syntax tree, not its layout: on the file written
    anew from its tree (lines joined or split differently, comments gone) it makes the same
    program as on the file itself."""
    text = (ROOT / name).read_text(encoding="utf-8")
    reformatted = ast.unparse(ast.parse(text))
    assert reformatted != text
    assert ast.dump(ast.parse(step(reformatted))) == ast.dump(ast.parse(step(text)))
