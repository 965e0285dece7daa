"""Column widths from what the cells say, so no number is cut off and the table still fits.

The table is drawn on a canvas: a cell narrower than its text shows the text cut off with
no sign of it, and a table wider than the page scrolls sideways and hides its last column.
Each column gets the width of its longest text (header included), from its characters'
advance widths in the grid's font; the first column (the names) gets what is left of the
page width, down to a floor: a number is never cut off, and at 1,400 px only a name longer
than what is left may be (none of the sample's: ``page_width`` gives the table the room).

The names' width depends on the numbers: it is what the other columns leave. So every
column is measured as the browser draws it, not with a margin of its own: each character's
advance in Source Sans (14 px), the font's own units of a thousandth of an em, summed and
rounded up once. Rounded up to half a pixel per character, as they were, a 38-character name
came out 7.5 px wider than drawn and each column of numbers 4 to 6 px, and the names paid
for all the columns' margins together: with every KPI shown, 'Waiting before: First
Customer Contact' (240 px drawn with its padding) was left 225 px when a run's differences
carried their percentages. Kerning only ever draws a text narrower than the sum (by up to
2 px on the sample's names), so the sum is never short.
"""
from __future__ import annotations

import math
import unicodedata

import pandas as pd

from ui.app.page_width import PADDING_PX

# the table's width at 1,400 px with the sidebar (300 px) open, the narrowest we serve: the
# main block between its margins, less 4 px for the grid's border
TABLE_PX = 1400 - 300 - 2 * PADDING_PX - 4
# Each character's advance in the grid's font (Source Sans at 14 px), in the font's units of
# a thousandth of an em, as Chromium draws it; a character not listed is taken as wider than
# any listed letter, and an East Asian one as a full square.
ADVANCE = {200: " ", 241: "|", 246: "i", 247: "j", 249: "',.:;·’‘", 255: "l", 263: "I",
           289: "!", 292: "f", 303: "()[]{}", 311: "-", 331: "°", 338: "t", 347: "r",
           350: "/\\", 418: "*", 419: "s", 425: "?z", 426: '"“”', 446: "x", 456: "cç",
           467: "vy", 476: "Y", 479: "J", 480: "–", 486: "L", 494: "F", 495: "k",
           496: "eéèêë", 497: "#$+0123456789<=>^~−±€£¥×", 500: "_", 504: "agàâäå",
           513: "X", 515: "V", 527: "EÉ", 534: "S", 536: "T", 539: "Z", 542: "`oöø",
           543: "A", 544: "huüÅ", 547: "nñ", 553: "b", 555: "dpq", 562: "µ", 566: "P",
           569: "R", 571: "C", 576: "ß", 579: "K", 588: "B", 609: "&", 615: "D", 617: "G",
           645: "U", 647: "N", 652: "H", 664: "OQ", 719: "w", 727: "M", 778: "æ", 786: "W",
           800: "—", 824: "%", 829: "m", 847: "@", 948: "…"}
ADVANCE_OF = {char: units for units, chars in ADVANCE.items() for char in chars}
OTHER_UNITS = 850  # a character not in the table (another accented letter, a symbol)
SQUARE_UNITS = 1000  # an East Asian character
FONT_PX = 14
CELL_PADDING_PX = 17  # the grid's 8 px each side, and one for the sum's rounding
NAMES_FLOOR_PX = 160  # the name column never narrower than this


def text_px(text: str) -> int:
    """How wide the grid draws ``text``, padding included (never less)."""
    units = sum(SQUARE_UNITS if unicodedata.east_asian_width(c) in "WF"
                else ADVANCE_OF.get(c, OTHER_UNITS) for c in text)
    return math.ceil(units * FONT_PX / 1000 + CELL_PADDING_PX)


def column_widths(frame: pd.DataFrame, total: int = TABLE_PX) -> dict[str, int]:
    """Column -> pixels: each column as wide as its longest text; the first takes what is
    left of ``total``, between its floor and its own need."""
    need = {str(c): max(text_px(str(v)) for v in [c, *frame[c]]) for c in frame.columns}
    names, *others = need
    left = total - sum(need[c] for c in others)
    need[names] = max(NAMES_FLOOR_PX, min(need[names], left))
    return need
