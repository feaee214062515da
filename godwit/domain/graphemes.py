"""Counting user-perceived characters (grapheme clusters), as Mastodon counts post length.

Mastodon's StatusLengthValidator counts ``each_grapheme_cluster``: an emoji made of several
code points joined by ZWJ, a flag, a letter with combining accents or a skin-toned emoji is
one character. The standard library has no segmentation, so this implements the parts of
Unicode's extended grapheme cluster rules (UAX #29) that matter for real text: CR LF,
combining marks and other extenders, ZWJ sequences, regional-indicator pairs and Hangul
jamo. Exotic rules (prepend characters, Indic conjuncts) are left out: they can only make
the count slightly larger, never let an over-long post through by much.
"""

from __future__ import annotations

import unicodedata

_ZWJ = "\u200d"
_ZWNJ = "\u200c"


def _is_extender(char: str) -> bool:
    """A code point that never starts a cluster: it belongs to the one before it."""
    code = ord(char)
    if char in (_ZWJ, _ZWNJ):
        return True
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    if 0x1F3FB <= code <= 0x1F3FF:  # emoji skin-tone modifiers
        return True
    if 0xE0020 <= code <= 0xE007F:  # tag characters (subdivision flags)
        return True
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:  # Hangul medial/final jamo
        return True
    return unicodedata.category(char) in ("Mn", "Me", "Mc")


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def grapheme_count(text: str) -> int:
    count = 0
    previous = ""
    pending_regional = False  # an unpaired regional indicator starts the current cluster
    for char in text:
        if not previous:
            joins = False
        elif previous == "\r" and char == "\n":
            joins = True
        elif previous == _ZWJ and count > 0:
            joins = True  # ZWJ sequence: the next code point is part of the same emoji
        elif _is_regional_indicator(char) and pending_regional:
            joins = True
        else:
            joins = _is_extender(char) and previous not in ("\r", "\n")
        if joins:
            if _is_regional_indicator(char):
                pending_regional = False
        else:
            count += 1
            pending_regional = _is_regional_indicator(char)
        previous = char
    return count
