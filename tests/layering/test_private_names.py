"""The SDK's public API only: no private module, name or attribute of the SDK anywhere
(tests/support/private_names.py says whose an underscore name is)."""

import ast
import functools

import pytest

from tests.layering.sources import ROOT, python_files
from tests.support.private_names import Repository
from tests.support.sdk_names import sdk_private_names


@functools.cache
def repository() -> Repository:
    return Repository(ROOT, {path: ast.parse(path.read_text(encoding="utf-8"))
                             for path in python_files()})


def private_sdk_uses(samples: dict[str, str] | None = None) -> list[str]:
    """What the guard flags in the repository, or in these samples (a path relative to the
    root → its source) read beside the repository's files."""
    if not samples:
        return repository().uses()
    parsed = {ROOT / path: ast.parse(text) for path, text in samples.items()}
    return repository().beside(parsed).uses(set(parsed))


def test_no_private_sdk_name_is_used_anywhere():
    """No import of the SDK's bridge, no private SDK module, no underscore attribute that is
    not shown to be this repository's own (tests/support/private_names.py says how): an SDK
    release may change any of them without notice."""
    assert private_sdk_uses() == []


def test_the_sdk_s_private_names_include_what_its_instances_set():
    # a class attribute, and attributes its __init__ sets (a handle keeps its client so)
    names = sdk_private_names()
    assert {"_" + name for name in ("type_adapter", "client", "started", "name")} <= names
    assert "_message_index" not in names and "_exit" not in names


# each private name spelled in two pieces: a `git grep` for them finds none in the repo
OURS = ("from domain.engine.step import IncidentState\n"
        "class Server:\n"
        "    def __init__(self, client): self._cl" "ient = client\n"
        "    def client(self): return self._cl" "ient\n"
        "    @classmethod\n"
        "    def make(cls): return cls._cl" "ient\n"
        "def index(state: IncidentState): return state._message_index\n"
        "def quoted(state: 'IncidentState'): state._message_index = None\n"
        "import os, argparse\n"
        "def leave(parser: argparse._SubParsersAction): os._exit(0)\n"
        "class Clock:\n"  # a string on self in our class is ours as the attribute form is
        "    _st" "arted = False\n"
        "    def begun(self): return getattr(self, '_st" "arted')\n")


def test_the_guard_passes_what_is_ours():
    assert private_sdk_uses({"tests/ours.py": OURS}) == []


@pytest.mark.parametrize("line", [
    # text, not a name: the SDK has attributes `_id`, `_start` and `_type`, but these are text
    'def f(name): return name.endswith("_id")',
    'def f(x): return x.removesuffix("_st' 'art")',
    'LABELS = {"_ty' 'pe": "类型"}',
    'def f(key): return key in ("_st' 'art", "_i' 'd") or key == "_ty' 'pe"',
    'def f(name): return f"{name}_i' 'd"',  # a piece of a name, not a whole one
    # a mapping's key, read or written (not an attribute dictionary's: see below)
    'def f(d): return d.get("_ty' 'pe")',
    'def f(row): return row["_i' 'd"]',
    'def f(row): row["_i' 'd"] = 1; del row["_ty' 'pe"]',
    'def f(d): return d.pop("_ty' 'pe", None), d.setdefault("_i' 'd", 0)',
    'def f(d): return d.__contains__("_i' 'd"), frame.loc[:, "_i' 'd"]',
    'def f(d): d.update({"_ty' 'pe": 1})',  # a plain dict written
    'def f(d): d |= {"_i' 'd": 2}',
    'def f(h): vars(h).update(defaults(), kept=1)',  # no key spelled: nothing to flag
    # a class's own attributes (it extends none of the SDK's)
    'class Guarded:\n    __slots__ = ("_lo' 'ck",)',
    'class Guarded:\n    __slots__: tuple[str, ...] = ["_lo' 'ck", "_i' 'd"]',
])
def test_the_guard_passes_strings_that_name_nothing(line):
    assert private_sdk_uses({"domain/sample.py": line + "\n"}) == []


@pytest.mark.parametrize("line", [
    "from temporalio." "bridge.worker import decode_" "activation",
    "from temporalio import bri" "dge",
    "import temporalio.worker." "_workflow",
    "from temporalio.converter import _" "extstore",
    "converter._type_" "adapter = cache",
    "getattr(converter, '_encode_payload_" "sequence')",
    "getattr(handle, f'_cl" "ient{suffix}')",
    'getattr(handle, "_cl' 'ient")',
    "setattr(handle, '_cl" "ient', None)",
    "operator.attrgetter('id', 'handle._cl" "ient')",
    "SKIPPED = 'temporalio.bri" "dge.worker'",  # a forbidden module, wherever it is spelled
    "importlib.import_module('temporalio.bri" "dge.proto')",
    # an SDK object's private attribute, though `Server` above sets one of that name
    "async def f(handle): return handle._cl" "ient",
    "def f(handle: WorkflowHandle): return handle._cl" "ient",
    "def f(server: Server): return server._cl" "ient",  # the SDK names it too: not proof
    "def f(x): x._n" "ame, x._st" "arted",
    "def f(state): return state._message_index",  # ours, but not shown to be
    "def f(self): return self._message_index",    # `self` outside a class
    "print(os._st" "arted)", "argparse._exit",
    # a name spelled as a string, read as one further on (as workers/data_converter.py once did)
    "PASSES = ('_decode_payload_" "sequence', '_encode_payload_" "sequence')\n"
    "for name in PASSES:\n    setattr(SlimConverter, name, getattr(DataConverter, name))",
    "def f(h): return vars(h)['_cl" "ient']",
    "def f(h): return h.__dict__['_cl" "ient']",
    # an attribute dictionary's key is an attribute's name, read or written
    "def f(h): return vars(h).get('_cl" "ient')",
    "def f(h): return h.__dict__.pop('_cl" "ient')",
    "def f(h): h.__dict__['_cl" "ient'] = None",
    "def f(h): return '_cl" "ient' in vars(h)",
    "def f(h): return getattr(h, '__dict__')['_cl" "ient']",
    "def f(h): return vars(h).copy()['_cl" "ient']",
    "def f(h):\n    d = vars(h)\n    return d['_cl" "ient']",
    "def f(h): h.__dict__.update({'_cl" "ient': None})",
    "def f(h): vars(h).update({'_cl" "ient': None})",
    "def f(h): vars(h).update(**{'_cl" "ient': None})",
    "def f(h): vars(h).update({'kept': 1, **{'_cl" "ient': None}})",
    "def f(h): vars(h).update(_cl" "ient=None)",
    "def f(h): vars(h).update(dict(_cl" "ient=None))",
    "def f(h): h.__dict__ |= {'_cl" "ient': None}",
    "def f(h): h.__dict__ = {'_cl" "ient': None}",
    "def f(h): return mock.patch.dict(h.__dict__, {'_cl" "ient': None})",
    "CLEARED = {'_cl" "ient': None}\ndef f(h): vars(h).update(CLEARED)",
    "def f(h): object.__setattr__(h, '_cl" "ient', None)",
    # slots: a class extending the SDK's shares its names; outside a class, nobody's
    "class Converter(DataConverter):\n    __slots__ = ('_cl" "ient',)",
    "__slots__ = ('_cl" "ient',)",
    "def f(h): return mock.patch.object(h, '_cl" "ient')",
    "def f(h): return inspect.getattr_static(h, '_cl" "ient')",
    "CALL = operator.methodcaller('_decode_payload_" "sequence')",
    "def f(h): return getattr(h, f'{prefix}._cl" "ient')",
    "class Converter(DataConverter):\n"
    "    async def _decode_payload_" "sequence(self, payloads): ...",
    "class Converter(DataConverter):\n    def __init__(self): self._cl" "ient = 1",
    "class Mine(SlimConverter):\n    def f(self): return self._type_" "adapter",
    "def made():\n    class Base(DataConverter): pass\n"  # a base not known: the SDK's, maybe
    "    class Mine(Base):\n        def f(self): return self._type_" "adapter",
])
def test_the_guard_finds_what_it_is_for(line):
    given = ("from temporalio.client import WorkflowHandle\n"
             "from temporalio.converter import DataConverter\n"
             "import importlib, inspect, operator, os, argparse\n"
             "from unittest import mock\n"
             "class SlimConverter(DataConverter): pass\n" + OURS)
    uses = private_sdk_uses({"tests/sample.py": given + line + "\n"})
    lines = {int(use.split(":")[1].split()[0]) for use in uses}
    assert lines and min(lines) > given.count("\n"), uses
