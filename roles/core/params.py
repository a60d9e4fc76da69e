"""Numbers read from addresses, query strings and headers."""

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
