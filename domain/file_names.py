"""File names for ids we do not control (delivery keys, workflow ids, incident ids).

Injective and safe: a readable slug of the id beside a hash of the whole id, so
``COL:1`` and ``COL_1`` never share a file, no id can reach outside its folder
(``../``), and no incident named ``summary`` can overwrite the summary.
"""

import hashlib
import re
from pathlib import Path

SLUG_CHARS = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def file_stem(identifier: str) -> str:
    """``<slug>~<hash>``: the slug for people, the hash (of the exact id) for uniqueness."""
    slug = _UNSAFE.sub("_", identifier)[:SLUG_CHARS].strip(".") or "_"
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:12]
    return f"{slug}~{digest}"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would resolve outside ``folder``."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise ValueError(f"refusing to write outside {folder}: {name!r}")
    return path
