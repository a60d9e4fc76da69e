"""Values read from addresses, query strings and headers, and said back."""

from __future__ import annotations


def plain_int(text: object) -> int | None:
    """``text`` as a whole number if it is written in ASCII digits only, as
    every address and form of the site writes one; None otherwise.

    Not ``str.isdigit()``: it says yes to "²" and "②", which ``int()``
    refuses (a 500), and to "١" and "１", which ``int()`` reads as 1 (one
    record under several addresses)."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


#: How much of a value it cannot use a message repeats.
SHOWN_VALUE_CHARS = 40


def shortened(value: str, limit: int = SHOWN_VALUE_CHARS) -> str:
    """A value sent back to its sender in a message, cut to ``limit``
    characters (with "…") and without characters that would not read: a byte
    that was not UTF-8 (decoded as U+FFFD) or a control character."""
    readable = "".join(
        char for char in value if char != "\ufffd" and char.isprintable()
    ).strip()
    return readable if len(readable) <= limit else readable[:limit] + "…"
