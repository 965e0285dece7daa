"""How comparison results read: KPI order, which direction is better, numbers with units.

Shared by the terminal table (``ui.render_compare``), the HTML report (``ui.report``) and
the exports, so a difference reads the same everywhere. Presentation only: the numbers come
from ``sim.compare``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from datetime import datetime

from sim.compare import Difference
from sim.kpis import catalogue
from sim.materiality import finite_number, judged
from sim.precision import decided

MISSING = "—"
MINUS = "−"  # a real minus sign: easier to read than a hyphen in a column of numbers

BETTER, WORSE, CHANGED, SAME, UNKNOWN = "better", "worse", "changed", "no material change", ""
UNCLEAR = "unclear"  # neither material nor known to be small: more replications would tell
VERDICTS = (BETTER, WORSE, CHANGED)  # the effects of a change that matters
MAX_DECIMALS = 4  # a small difference is shown with up to this many decimals


def esc(text: object) -> str:
    """Any text for an HTML page or a Plotly label (which renders a subset of HTML): what a
    user or a log supplied is shown, never run; nothing for None."""
    return html.escape("" if text is None else str(text), quote=True)


def effect(row: Difference) -> str:
    """better / worse (a material difference, in the KPI's good direction or not), changed
    (material, no good direction), no material change (not significant, or within the KPI's
    practical threshold: ``sim.materiality``, and known to within it), unclear (not material
    yet, but its interval reaches past the threshold: a cut of 100% measured too loosely to
    call, the replications' stopping rule's "undecided"), or "" when it cannot be told."""
    row = judged(row)
    diff, found = finite_number(row.diff), row.material
    if found is None or diff is None:
        return UNKNOWN
    if not found:
        known = decided(finite_number(row.ci_low), finite_number(row.ci_high),
                        finite_number(row.threshold))
        return SAME if known else UNCLEAR
    sign = catalogue.direction(row.kpi, row.unit)
    if sign == 0:
        return CHANGED
    return BETTER if diff * sign > 0 else WORSE


def order_rows(rows: Iterable[Difference]) -> list[Difference]:
    """Scenario by scenario (first-seen order): headline KPIs in reading order, then the
    blocks in the catalogue's ``SECTIONS`` order, rows within a block as given."""
    rows = list(rows)
    scenarios = list(dict.fromkeys(r.scenario for r in rows))
    blocks = [s.id for s in catalogue.SECTIONS if s.id]

    def key(indexed: tuple[int, Difference]) -> tuple[int, int, int, int]:
        index, row = indexed
        found = catalogue.ref(row.kpi)
        scenario = scenarios.index(row.scenario)
        if found.headline:
            return scenario, 0, catalogue.headline_rank(found.kind), index
        prefix = found.block
        block = blocks.index(prefix) + 1 if prefix in blocks else len(blocks) + 1
        return scenario, block, 0, index

    return [row for _, row in sorted(enumerate(rows), key=key)]


def has_verdict(row: Difference) -> bool:
    """Whether the row is a change that matters (better, worse or changed)."""
    return effect(row) in VERDICTS


def split_label(label: str) -> tuple[str, str]:
    """``"Sales cycle (opportunity created to won)"`` -> ("Sales cycle", "opportunity
    created to won"); labels without a definition give ("label", "")."""
    name, sep, definition = label.partition(" (")
    if not sep or not definition.endswith(")"):
        return label, ""
    return name, definition[:-1]


def name_and_detail(kpi: str, label: str) -> tuple[str, str]:
    """A KPI's name and the bracket that says what it spans: from the catalogue, or for a
    KPI it does not know, from the label."""
    found = catalogue.ref(kpi)
    known, label = found.definition, label.removesuffix(" (P90)")
    if known is None:
        return split_label(label)
    if found.item is None:
        return known.title or known.name, known.detail
    return label.removesuffix(f" ({known.detail})" if known.detail else ""), known.detail


def item_name(kpi: str, label: str) -> str:
    """The row name inside a block: the activity, resource or stage (read off the label by
    its family's template, so a stage reads as its activity, not as its role); the KPI's
    name otherwise."""
    found = catalogue.ref(kpi)
    if found.item is None or found.definition is None:
        return name_and_detail(kpi, label)[0] if found.item is None else found.item
    head, _, tail = found.definition.item_label.partition("{}")
    if label.startswith(head) and label.endswith(tail) and len(label) > len(head + tail):
        return label[len(head):len(label) - len(tail)]
    return found.item


# --- numbers --------------------------------------------------------------------------------


def _signed(text: str, value: float, signed: bool) -> str:
    if value < 0 and text.startswith("-"):
        return MINUS + text[1:]
    if signed and value > 0:
        return "+" + text
    return text


def _usual(unit: str) -> int:
    return 0 if unit == "money_per_month" else 2 if unit == "count" else 1


def _shown(unit: str, value: float) -> float:
    return value * 100 if unit == "share" else value  # shares read in % (or points)


def decimals(unit: str, *values: object) -> int:
    """The decimals that show every one of these differences: the unit's usual ones, or
    enough more to show the first digit of one too small for them (so a change never reads
    as zero); noise below ``MAX_DECIMALS`` still reads as zero."""
    usual, found = _usual(unit), _usual(unit)
    for value in values:
        v = finite_number(value)
        if v is None or v == 0 or round(_shown(unit, v), usual) != 0:
            continue
        needed = -math.floor(math.log10(abs(_shown(unit, v))))
        if needed <= MAX_DECIMALS:
            found = max(found, needed)
    return found


def number(unit: str, value: object, signed: bool = False, digits: int | None = None) -> str:
    """The bare number of a KPI value (no unit): days with one decimal, shares in % (or
    percentage points when ``signed``, for differences), money without decimals; a
    difference with the decimals it needs (``digits`` chooses them)."""
    v = finite_number(value)
    if v is None:
        return MISSING
    v = _shown(unit, v)
    if digits is None:
        digits = decimals(unit, value) if signed else _usual(unit)
    text = f"{v:,.{digits}f}"
    if text.lstrip("-").strip("0.,") == "":
        v, text = 0.0, text.lstrip("-")
    return _signed(text, v, signed)


# The words around numbers, by language ("en", "ja"); Japanese has no short forms.
WORDS = {
    "en": {"days": " days", "days_compact": " d", "per_month": " / month",
           "per_month_compact": "/mo", "to": " to ", "cases": "{n} new cases",
           "run_days": "{n} days", "warm_up": "{n}-day warm-up"},
    "ja": {"days": " 日", "days_compact": " 日", "per_month": " / 月", "per_month_compact": "/月",
           "to": " 〜 ", "cases": "{n} 件の新規案件", "run_days": "{n} 日",
           "warm_up": "{n} 日のウォームアップ"},
}


def unit_suffix(unit: str, difference: bool = False, compact: bool = False,
                lang: str = "en") -> str:
    """What follows a number of ``unit`` in ``lang`` (``compact``: for a narrow column)."""
    said = WORDS[lang]
    if unit == "days":
        return said["days_compact" if compact else "days"]
    if unit == "share":
        return " pp" if difference else "%"
    if unit in ("per_month", "money_per_month"):
        return said["per_month_compact" if compact else "per_month"]
    return ""


def value_text(unit: str, value: object, compact: bool = False, lang: str = "en") -> str:
    """A KPI value with its unit: ``23.7 days``, ``35.8%``, ``491,994 / month``."""
    text = number(unit, value)
    return text if text == MISSING else text + unit_suffix(unit, compact=compact, lang=lang)


def diff_text(unit: str, value: object, compact: bool = False, lang: str = "en") -> str:
    """A signed difference with its unit; shares in percentage points (``+2.1 pp``)."""
    text = number(unit, value, signed=True)
    return text if text == MISSING else text + unit_suffix(unit, True, compact, lang)


def pct_text(value: object) -> str:
    """A relative change: ``+13.2%``, ``−5.0%``."""
    v = finite_number(value)
    if v is None:
        return MISSING
    text = f"{v * 100:,.1f}"
    if text.lstrip("-") == "0.0":
        return "0.0%"
    return _signed(text, v, True) + "%"


def ci_text(unit: str, low: object, high: object, compact: bool = False,
            lang: str = "en") -> str:
    """The 95% interval of a difference: ``−5.9 to −0.3 days`` (``compact``: no unit, the
    difference next to it has it)."""
    if finite_number(low) is None or finite_number(high) is None:
        return MISSING
    digits = decimals(unit, low, high)
    text = (number(unit, low, signed=True, digits=digits) + WORDS[lang]["to"]
            + number(unit, high, signed=True, digits=digits))
    return text if compact else text + unit_suffix(unit, difference=True, lang=lang)


def moment_and_zone(created: str) -> tuple[datetime, str] | None:
    """A saved ISO timestamp and its zone's name (``UTC`` for a zero offset); None when it
    is not one."""
    try:
        moment = datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return None
    zone = moment.tzname() or ""
    return moment, "UTC" if zone in ("UTC", "UTC+00:00") else zone


def when(created: str) -> str:
    """An ISO timestamp as ``1 March 2025, 10:00 UTC``; anything else as it is."""
    parsed = moment_and_zone(created)
    if parsed is None:
        return created or "unknown date"
    moment, zone = parsed
    return f"{moment.day} {moment:%B %Y, %H:%M}" + (f" {zone}" if zone else "")


def run_text(run: dict[str, object], lang: str = "en") -> str:
    """The run length of a study: ``1,000 new cases``, ``365 days, 30-day warm-up``."""
    parts, said = [], WORDS[lang]
    for key, value in run.items():
        if value is None:
            continue
        v = finite_number(value)
        if key == "cases" and v is not None:
            parts.append(said["cases"].format(n=f"{v:,.0f}"))
        elif key == "days" and v is not None:
            parts.append(said["run_days"].format(n=f"{v:,.0f}"))
        elif key in ("warmup_days", "warmup") and v is not None:
            if v:
                parts.append(said["warm_up"].format(n=f"{v:,.0f}"))
        elif key == "start":
            parts.append(f"from {str(value)[:10]}")
        else:
            parts.append(f"{key} {value}")
    return ", ".join(parts) or "default run length"
