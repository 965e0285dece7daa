"""Column widths from what the cells say, so no number is cut off and the table still fits.

The table is drawn on a canvas: a cell narrower than its text shows the text cut off with
no sign of it, and a table wider than the page scrolls sideways and hides its last column.
Each column gets the width of its longest text (header included), from its characters'
widths in the grid's font; the first column (the names) gets what is left of the page
width, down to a floor: a number is never cut off, and at 1,400 px only a name longer than
what is left may be (none of the sample's: ``page_width`` gives the table the room).
"""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

from ui.app.page_width import PADDING_PX

# the table's width at 1,400 px with the sidebar (300 px) open, the narrowest we serve: the
# main block between its margins, less 4 px for the grid's border
TABLE_PX = 1400 - 300 - 2 * PADDING_PX - 4
# A character's width in the grid's font (14 px Source Sans), rounded up to half a pixel,
# as Chromium measures it; a character not listed is taken as a wide Latin one, and an East
# Asian one as a full square.
GLYPH_PX = {3.0: " ", 3.5: "ij',.:;|", 4.0: "lI", 4.5: "ft!()-[]{}", 5.0: "r/\\",
            6.0: 'sz"*?', 6.5: "cxJ", 7.0: "0123456789ekvyFLY#$+<=>^_~−",
            7.5: "agESTVXZ", 8.0: "bdhnopquACPR`", 8.5: "BK", 9.0: "DG&", 9.5: "HNOQU",
            10.5: "wM", 11.0: "W", 12.0: "m%@"}
WIDTH_OF = {char: px for px, chars in GLYPH_PX.items() for char in chars}
OTHER_PX = 9.5  # a character not in the table (an accented letter, a symbol)
SQUARE_PX = 14.0  # an East Asian character
CELL_PADDING_PX = 18  # the grid's 8 px each side, and two to spare
NAMES_FLOOR_PX = 160  # the name column never narrower than this


def text_px(text: str) -> int:
    """How wide the grid draws ``text``, padding included (never less)."""
    drawn = sum(SQUARE_PX if unicodedata.east_asian_width(c) in "WF"
                else WIDTH_OF.get(c, OTHER_PX) for c in text)
    return math.ceil(drawn + CELL_PADDING_PX)


def column_widths(frame: pd.DataFrame, total: int = TABLE_PX) -> dict[str, int]:
    """Column -> pixels: each column as wide as its longest text; the first takes what is
    left of ``total``, between its floor and its own need."""
    need = {str(c): max(text_px(str(v)) for v in [c, *frame[c]]) for c in frame.columns}
    names, *others = need
    left = total - sum(need[c] for c in others)
    need[names] = max(NAMES_FLOOR_PX, min(need[names], left))
    return need
