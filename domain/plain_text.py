"""Sender text shown as text (纯文本显示): never Markdown, links or reordered lines.

The UI renders the current details as Markdown; an actor, a reason or a summary comes
from whoever sent the message. Shown through ``plain``, a sender cannot add a bold line,
a link (``[点此](javascript:…)``), a heading or a list item, nor reverse the text around
it with bidirectional controls.
"""

import functools
import re

# Bidirectional embeddings, overrides and isolates, and the marks: invisible, and able
# to make "已撤销" read as its opposite.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What makes emphasis, code, links, images, HTML or tables anywhere in a line; the text
# is one line after a prefix, so line-start syntax (#, -, +, 1.) cannot apply. The
# scheme's colon and "www." are escaped too, so no bare address becomes a link.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()!|<>~&])|(?<=[A-Za-z])(:)(?=//)|(?<=\bwww)(\.)", re.I)


@functools.lru_cache(maxsize=1024)  # the same actors and reasons, shown on every rendering
def plain(text: str) -> str:
    """One line, bidi controls removed, every Markdown character escaped."""
    return _MARKDOWN.sub(lambda found: "\\" + found.group(), " ".join(_BIDI.sub("", text).split()))


def code(text: str) -> str:
    """A name shown as code (a message name a sender may have made up): one line, no
    bidi controls, no backtick to close the span early."""
    return "`" + " ".join(_BIDI.sub("", text).replace("`", "'").split()) + "`"
