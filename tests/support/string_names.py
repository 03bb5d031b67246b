"""Which strings a call or a mapping reads as names, and which are text, for the private-name
guard (tests/support/private_names.py decides whose a name is).

A mapping's key is text (``row["_k"]``, ``d.get("_k")``), and so are a dict literal's keys,
but for an object's attribute dictionary: ``h.__dict__``, ``vars(h)``, ``getattr(h,
"__dict__")``, a copy of one, or a name the module binds to one. Its keys are attribute
names: ``vars(h)["_x"]``, ``h.__dict__.pop("_x")``, ``"_x" in vars(h)``, and the keys a
dict literal writes into it (``h.__dict__.update({...})``, ``vars(h) |= {...}``,
``h.__dict__ = {...}``, ``mock.patch.dict(vars(h), {...})``, a dict literal bound to a name
and written so), as are the keywords of such a write (``vars(h).update(_x=None)``).
"""

import ast
from dataclasses import dataclass, field

from tests.support.sdk_names import assigned_in

# calls whose string arguments are names: an attribute's (a dotted path's for attrgetter), or
# a module's
NAME_READERS = {"getattr": 1, "setattr": 1, "hasattr": 1, "delattr": 1,
                "attrgetter": 0, "import_module": 0, "__import__": 0}

# str methods whose arguments are text (a suffix, a separator), whatever they spell
TEXT_METHODS = {"endswith", "startswith", "removesuffix", "removeprefix", "split", "rsplit",
                "replace", "find", "rfind", "index", "rindex", "count", "strip", "lstrip",
                "rstrip", "partition", "rpartition"}

# a mapping's methods whose first argument is a key
MAPPING_METHODS = {"get", "pop", "setdefault", "__getitem__", "__setitem__", "__delitem__",
                   "__contains__"}


@dataclass
class AttributeDicts:
    """A module's attribute dictionaries, and what is written into them."""
    aliases: set[str] = field(default_factory=set)  # names bound to one (`d = vars(h)`)
    written: set[int] = field(default_factory=set)  # dict literals written into one
    keywords: set[int] = field(default_factory=set)  # `vars(h).update(_x=None)`'s `_x=`

    @classmethod
    def read(cls, tree: ast.AST) -> "AttributeDicts":
        found, nodes = cls(), list(ast.walk(tree))
        bindings = [pair for node in nodes for pair in bound(node)]
        while new := {name for name, value in bindings if found.holds(value)} - found.aliases:
            found.aliases |= new  # `d = vars(h)`, then `e = d`: both are
        literals: dict[str, list[ast.Dict]] = {}
        for name, value in bindings:
            if isinstance(value, ast.Dict):
                literals.setdefault(name, []).append(value)
        for node in nodes:
            values, keywords = found.writes(node)
            found.keywords.update(id(k) for k in keywords)
            for value in values:
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                        and value.func.id == "dict":  # `.update(dict(_x=None))`
                    found.keywords.update(id(k) for k in value.keywords if k.arg)
                    continue
                given = literals.get(value.id, []) if isinstance(value, ast.Name) else [value]
                found.written.update(id(d) for value in given for d in nested(value))
        return found

    def holds(self, node: ast.expr) -> bool:
        """True when an expression is an object's attribute dictionary."""
        if isinstance(node, ast.Attribute):
            return node.attr == "__dict__"
        if isinstance(node, ast.Name):
            return node.id in self.aliases
        if not isinstance(node, ast.Call):
            return False
        func, arguments = node.func, node.args
        if isinstance(func, ast.Attribute):  # `vars(h).copy()`
            return func.attr == "copy" and not arguments and self.holds(func.value)
        callee = func.id if isinstance(func, ast.Name) else None
        return callee == "vars" and len(arguments) == 1 \
            or callee == "dict" and len(arguments) == 1 and self.holds(arguments[0]) \
            or callee == "getattr" and len(arguments) > 1 \
            and isinstance(arguments[1], ast.Constant) and arguments[1].value == "__dict__"

    def writes(self, node: ast.AST) -> tuple[list[ast.expr], list[ast.keyword]]:
        """What a node writes into an attribute dictionary: values, and named keywords."""
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.BitOr) \
                and self.holds(node.target):
            return [node.value], []
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "__dict__" for t in node.targets):
            return [node.value], []
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return [], []
        func = node.func
        if func.attr == "update" and self.holds(func.value):
            given = node.args
        elif func.attr == "dict" and node.args and self.holds(node.args[0]):
            given = node.args[1:]  # mock.patch.dict(vars(h), {...})
        else:
            return [], []
        return given + [k.value for k in node.keywords if k.arg is None], \
            [k for k in node.keywords if k.arg]

    def text_operands(self, node: ast.AST) -> list[ast.expr]:
        """What a node uses as text, never as a name: a str method's arguments, the sides
        of ``in``/``==``/``!=`` (a literal tuple's items there), a mapping's key, a dict
        literal's keys; none of these when the mapping is an attribute dictionary."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in TEXT_METHODS:
                return node.args
            if node.func.attr in MAPPING_METHODS and not self.holds(node.func.value):
                return node.args[:1]
        if isinstance(node, ast.Subscript) and not self.holds(node.value):
            key = node.slice  # `row["_k"]`, or `frame.loc[:, "_k"]`
            return key.elts if isinstance(key, ast.Tuple) else [key]
        if isinstance(node, ast.Compare) and all(
                isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in node.ops):
            sides = [node.left, *node.comparators]  # `key in ("_a", "_b")`: each is text
            if any(map(self.holds, sides)):
                return []
            return sides + [e for side in sides
                            if isinstance(side, (ast.Tuple, ast.List, ast.Set)) for e in side.elts]
        if isinstance(node, ast.Dict) and id(node) not in self.written:
            return [key for key in node.keys if key is not None]
        return []


def bound(node: ast.AST) -> list[tuple[str, ast.expr]]:
    """The names a node binds, each with its value: ``d = …``, ``d: T = …``, ``(d := …)``."""
    if isinstance(node, ast.Assign):
        return [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) \
            and node.value is not None:
        return [(node.target.id, node.value)]
    return []


def nested(value: ast.expr) -> list[ast.Dict]:
    """A dict literal and those it unpacks (``{**{...}}``); none for another expression."""
    if not isinstance(value, ast.Dict):
        return []
    inner = [v for k, v in zip(value.keys, value.values) if k is None]
    return [value, *(d for v in inner for d in nested(v))]


def slot_entries(cls: ast.ClassDef) -> list[ast.expr]:
    """The entries of a class's ``__slots__``: its own attributes' names."""
    values = [n.value for n in cls.body if isinstance(n, (ast.Assign, ast.AnnAssign))
              and n.value is not None and "__slots__" in assigned_in([n])]
    return [e for v in values
            for e in (v.elts if isinstance(v, (ast.Tuple, ast.List, ast.Set)) else [v])]


def names_sdk(text: str, sdk: frozenset[str]) -> bool:
    """True when a string spells an SDK private name, alone or in a dotted path."""
    parts = text.split(".")
    return any(part in sdk for part in parts) and all(
        part.isidentifier() or part == "{}" for part in parts)


def attribute_named(call: ast.Call) -> ast.Attribute | None:
    """``getattr(x, "_y")`` (or ``setattr``, ``hasattr``, ``delattr``) read as ``x._y``."""
    func, arguments = call.func, call.args
    if isinstance(func, ast.Name) and func.id in {"getattr", "setattr", "hasattr", "delattr"} \
            and len(arguments) > 1 and isinstance(arguments[1], ast.Constant) \
            and isinstance(arguments[1].value, str):
        return ast.Attribute(value=arguments[0], attr=arguments[1].value, ctx=ast.Load())
    return None


def name_arguments(call: ast.Call) -> list[ast.expr]:
    """The arguments a call reads as names: ``getattr(x, "_y")``'s second,
    ``operator.attrgetter("a._b", "c")``'s every one, ``importlib.import_module(name)``'s first."""
    func = call.func
    callee = func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None
    if callee not in NAME_READERS:
        return []
    first = NAME_READERS[callee]
    return call.args[first:] if callee == "attrgetter" else call.args[first:first + 1]
