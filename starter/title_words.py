"""The title's words (标题分词) for ``IncidentTitleWords``: Chinese title search in the list.

Temporal's text search splits only on spaces and punctuation (SQLite FTS on the dev
server, a PostgreSQL ``tsvector`` in production), so a Chinese title is one token and
``IncidentTitle="电梯"`` finds nothing. The starter writes the title's words, split by
jieba's search mode (long words also as their parts), separated by spaces, into a Text
attribute; ``IncidentTitleWords="电梯"`` then finds every title with 电梯 in it. Set once at
start, by the starter: the workflow never computes it, so its histories do not depend on
the segmenter's dictionary.
"""

import logging
import unicodedata

MAX_WORDS_BYTES = 2000  # under the server's 2 KB limit on one search-attribute value


def _is_word(token: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in token)


def title_words(title: str, max_bytes: int = MAX_WORDS_BYTES) -> str:
    """The title's distinct words, in order, space-separated, within ``max_bytes`` (UTF-8)."""
    import jieba  # loads its dictionary (about a second) only when an incident is reported

    jieba.setLogLevel(logging.WARNING)
    words: list[str] = []
    size = 0
    for token in jieba.cut_for_search(title):
        token = token.strip()
        if not _is_word(token) or token in words:
            continue
        cost = len(token.encode("utf-8")) + (1 if words else 0)
        if size + cost > max_bytes:
            break
        words.append(token)
        size += cost
    return " ".join(words)
