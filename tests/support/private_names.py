"""Whose is an underscore name? The SDK's public API only (tests/layering/test_private_names.py).

An underscore attribute is this repository's own only where that can be shown from the
code alone: on ``self`` or ``cls`` inside a class defined here, or on a name annotated with
(or naming) a class defined here that defines the attribute. A class that extends one of the
SDK's, or a class not known (made in a function, say), shares the SDK's private names, so
there an attribute the SDK also names is the SDK's. Anything else (an attribute of a
handle the SDK gave, ``handle._x``) is suspect, whatever the repository defines elsewhere.
A string that spells one of the SDK's private names is that name (``PASSES = ("_x",)``
then ``getattr(super(), name)``; ``patch.object(h, "_x")``) unless it is plainly text: a
str method's argument (``key.endswith("_id")``), a side of ``in``/``==``/``!=``, a
mapping's key (``row["_x"]``, ``d.get("_x")``) or a dict literal's, a piece of an f-string
that is not a whole name, a ``__slots__`` entry of a class of ours not extending the SDK's;
or unless a call reads it as an attribute of ours (``getattr(self, "_x")`` in our class, as
``self._x``). A key of an attribute dictionary is a name (``vars(h)["_x"]``,
``h.__dict__.get("_x")``, ``h.__dict__.update({"_x": None})``: tests/support/string_names.py).
A string that spells a forbidden module (the SDK's ``bridge`` package, or a private
submodule) is flagged wherever it is.
"""

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.sdk_names import (assigned_in, forbidden_module, private, sdk_module,
                                     sdk_private_names)
from tests.support.string_names import (AttributeDicts, attribute_named, name_arguments,
                                        names_sdk, slot_entries)

# underscore names that are the standard library's API on any object (namedtuple, enum)
STDLIB_PROTOCOL = {"_asdict", "_replace", "_fields", "_make", "_value_", "_name_",
                   "_missing_", "_generate_next_value_", "_ignore_"}
# underscore names that are a standard module's API, or the only spelling of a type
# (argparse's sub-parsers, in annotations): allowed on that module only
STDLIB_MODULE_NAMES = {("os", "_exit"), ("argparse", "_SubParsersAction")}


def root_name(node: ast.expr) -> str | None:
    """``a`` of ``a.b.c``, ``a[x]`` or ``a(...)``."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


@dataclass
class Module:
    """One of the repository's files: the classes it defines, what its names are bound to."""
    name: str
    path: Path
    tree: ast.Module
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)      # at its top level
    sdk_names: set[str] = field(default_factory=set)                    # bound to the SDK
    foreign: set[str] = field(default_factory=set)  # bound to another library's module
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (module, name)

    @classmethod
    def read(cls, name: str, path: Path, tree: ast.Module) -> "Module":
        module = cls(name, path, tree)
        module.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = (alias.asname or alias.name).split(".")[0]
                    (module.sdk_names if sdk_module(alias.name) else module.foreign).add(bound)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if sdk_module(node.module):
                        module.sdk_names.add(bound)
                    else:
                        module.imported[bound] = (node.module, alias.name)
        for node in tree.body:  # `Base = temporalio.x.Y`: an alias of the SDK's
            if isinstance(node, ast.Assign) and root_name(node.value) in module.sdk_names:
                module.sdk_names.update(assigned_in([node]))
        return module


Found = tuple[Module, ast.ClassDef]


class Repository:
    """What the checked files define, and where each name in them comes from."""

    def __init__(self, root: Path, parsed: dict[Path, ast.Module]):
        self.root = root
        self.modules: dict[str, Module] = {}
        self.sdk_derived: dict[int, bool] = {}
        self.read(parsed)

    def read(self, parsed: dict[Path, ast.Module]) -> None:
        for path, tree in parsed.items():
            parts = list(path.relative_to(self.root).with_suffix("").parts)
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            self.modules[name] = Module.read(name, path, tree)

    def beside(self, parsed: dict[Path, ast.Module]) -> "Repository":
        """This repository with more files (what it knows of its own is kept, not redone)."""
        more = Repository(self.root, {})
        more.modules, more.sdk_derived = dict(self.modules), dict(self.sdk_derived)
        more.read(parsed)
        return more

    def resolve(self, module: Module, name: str, depth: int = 0) -> "str | Found | None":
        """What a top-level ``name`` is in ``module``: ``"sdk"``, one of our classes,
        ``"foreign"`` (a builtin, another library's), or None: not known."""
        if name in module.sdk_names:
            return "sdk"
        if name in module.classes:
            return module, module.classes[name]
        if name in module.imported and depth < 10:
            source, original = module.imported[name]
            if source not in self.modules:
                return "foreign"
            return self.resolve(self.modules[source], original, depth + 1)
        if name in module.foreign or name in vars(builtins):
            return "foreign"
        return None

    def extends_sdk(self, module: Module, cls: ast.ClassDef) -> bool:
        """True when the class derives, directly or through our classes, from one of the
        SDK's, or from a class not known (one made in a function, say): no proof it does not."""
        if id(cls) not in self.sdk_derived:
            self.sdk_derived[id(cls)] = True  # a cycle of bases proves nothing
            found = [self.resolve(module, root_name(base) or "") for base in cls.bases]
            self.sdk_derived[id(cls)] = any(
                f in ("sdk", None) or isinstance(f, tuple) and self.extends_sdk(*f)
                for f in found)
        return self.sdk_derived[id(cls)]

    def attributes(self, module: Module, cls: ast.ClassDef) -> set[str]:
        """What a class of ours defines: its body's names and methods, ``self.x = …``."""
        names = assigned_in(cls.body) | {n.name for n in cls.body if isinstance(
            n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        names.update(n.attr for n in ast.walk(cls) if isinstance(n, ast.Attribute)
                     and isinstance(n.ctx, ast.Store) and isinstance(n.value, ast.Name)
                     and n.value.id in {"self", "cls"})
        for base in cls.bases:
            found = self.resolve(module, root_name(base) or "")
            if isinstance(found, tuple) and found[1] is not cls:
                names |= self.attributes(*found)
        return names

    def uses(self, paths: set[Path] | None = None) -> list[str]:
        """What the guard flags, in every file or in these."""
        return [use for module in self.modules.values() if paths is None or module.path in paths
                for use in self.private_uses(module)]

    def private_uses(self, module: Module) -> list[str]:
        where, found = module.path.relative_to(self.root), []
        sdk = sdk_private_names() - STDLIB_PROTOCOL
        fragments: set[int] = set()  # the pieces of f-strings, seen before their parts
        names_given: set[int] = set()  # strings a call reads as a name (getattr's, say)
        text: set[int] = set()  # strings used as text, or read as a name of ours
        dicts = AttributeDicts.read(module.tree)
        for node, classes, annotations in walk(module.tree):
            line = f"{where}:{getattr(node, 'lineno', '?')}"
            in_sdk_class = any(self.extends_sdk(module, c) for c in classes)
            text.update(id(operand) for operand in dicts.text_operands(node))  # before them
            if isinstance(node, ast.ClassDef) and not self.extends_sdk(module, node):
                text.update(id(entry) for entry in slot_entries(node))  # its own attributes
            if isinstance(node, ast.Call):
                names_given.update(id(argument) for argument in name_arguments(node))
                named = attribute_named(node)  # getattr(self, "_x"): self._x
                if named and self.ours(module, named, classes, in_sdk_class, annotations):
                    text.add(id(node.args[1]))
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found += [f"{line} imports {name}" for name in imported_names(node)
                          if forbidden_module(name)]
            elif isinstance(node, ast.Attribute) and private(node.attr) \
                    and not self.ours(module, node, classes, in_sdk_class, annotations):
                found.append(f"{line} .{node.attr}")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and classes \
                    and node in classes[-1].body and node.name in sdk \
                    and self.extends_sdk(module, classes[-1]):
                found.append(f"{line} def {node.name}")  # a private method overridden
            elif isinstance(node, ast.keyword) and id(node) in dicts.keywords \
                    and node.arg in sdk:  # vars(h).update(_x=None)
                found.append(f"{line} {node.arg}=")
            elif isinstance(node, ast.JoinedStr):  # getattr(x, f"_awake_{name}")
                fragments.update(id(part) for part in node.values)
                start = node.values[0] if node.values else None
                spelled = "".join(part.value if isinstance(part, ast.Constant) else "{}"
                                  for part in node.values)  # f"{x}._y": "_y" a whole name
                if isinstance(start, ast.Constant) and (forbidden_module(start.value) or (
                        id(node) in names_given and private(start.value)
                        and any(n.startswith(start.value) for n in sdk))) \
                        or id(node) not in text and names_sdk(spelled, sdk):
                    found.append(f"{line} f{spelled!r}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in fragments and (forbidden_module(node.value) or (
                        id(node) not in text and names_sdk(node.value, sdk))):
                found.append(f"{line} {node.value!r}")
        return found

    def ours(self, module: Module, node: ast.Attribute, classes: list[ast.ClassDef],
             in_sdk_class: bool, annotations: dict[str, ast.expr]) -> bool:
        name = node.attr
        receiver = node.value.id if isinstance(node.value, ast.Name) else None
        if name in STDLIB_PROTOCOL or (receiver, name) in STDLIB_MODULE_NAMES:
            return True
        if receiver in {"self", "cls"} and classes:
            return not (in_sdk_class and name in sdk_private_names())
        # a name annotated with one of our classes, or that class itself
        annotation = annotations.get(receiver or "")
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            annotation = ast.parse(annotation.value, mode="eval").body
        class_name = annotation.id if isinstance(annotation, ast.Name) else \
            None if annotation is not None else receiver
        found = self.resolve(module, class_name or "")
        return isinstance(found, tuple) and name not in sdk_private_names() \
            and not self.extends_sdk(*found) and name in self.attributes(*found)


def imported_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not node.module:
        return []
    return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]


def walk(tree: ast.AST) -> Iterator[tuple[ast.AST, list[ast.ClassDef], dict[str, ast.expr]]]:
    """Every node, parents first, with the classes around it and the annotated names it
    sees: its function's parameters and ``x: T = …``, those of the functions around it and
    of the module (never a class body's: its methods do not see them)."""
    Frame = tuple[ast.AST, list[ast.ClassDef], dict[str, ast.expr], bool]
    stack: list[Frame] = [(tree, [], {}, True)]
    while stack:
        node, classes, annotations, scope_sees = stack.pop()
        yield node, classes, annotations
        if isinstance(node, ast.ClassDef):
            classes, scope_sees = [*classes, node], False
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                     *filter(None, [arguments.vararg, arguments.kwarg])]
            annotations = {k: v for k, v in annotations.items()
                           if k not in {a.arg for a in every}}
            annotations |= {a.arg: a.annotation for a in every if a.annotation is not None}
            scope_sees = True
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and scope_sees:
            annotations[node.target.id] = node.annotation
        stack.extend((child, classes, annotations, scope_sees)
                     for child in reversed(list(ast.iter_child_nodes(node))))
