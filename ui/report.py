"""A saved comparison as one self-contained HTML file a process owner can mail.

Everything is inside the file: the styles, the chart data and the Plotly library (inlined
once), no web fonts, no links out. This module says what the page shows; its markup is the
template ``ui/templates/report.html.j2``'s (styles: ``report.css``), which escapes every
text that came from a user or a log (names, descriptions, scenario files, activity names).
``differences_frame`` is the KPI table as rows, shared with the CSV and Excel exports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go
import yaml
from markupsafe import Markup

from scenarios.changes import FIX_SUFFIX
from sim import fidelity_row
from sim.chart_data import Charts, MemberCharts, renamed
from sim.compare import Difference
from sim.kpi_roles import role_label
from sim.kpis import catalogue
from sim.kpis.groups import DEAL_SIZE
from sim.kpis.observed import unmapped_roles
from sim.materiality import judged
from sim.saved import SavedComparison
from sim.segments import SegmentRow, most_changed
from sim.study import BASELINE
from ui import kpi_definitions, report_ja
from ui import report_charts as charts_
from ui import report_format as fmt
from ui.html_page import phrase, render
from ui.precision_text import precision_summary, replications_range
from ui.report_business_case import business_case_html
from ui.report_ja import BASELINE_JA, FIX_JA, PHRASES, SCENARIOS_JA

DIFFERENCE_COLUMNS: tuple[str, ...] = (
    "scenario", "kpi", "label", "unit", "group", "baseline", "value", "diff", "pct_change",
    "ci_low", "ci_high", "significant", "threshold", "material", "replications", "note",
)
FRAME_COLUMNS: tuple[str, ...] = (*DIFFERENCE_COLUMNS, "headline", "effect")
NUMERIC_COLUMNS = ("baseline", "value", "diff", "pct_change", "ci_low", "ci_high", "threshold")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


LANGUAGE: ContextVar[str] = ContextVar("report_language", default="en")


def _(text: str, **values: object) -> str:
    """The report's own words in its language (``LANGUAGE``), filled with ``values``."""
    if LANGUAGE.get() == "ja":
        text = PHRASES.get(text, text)
    return text.format(**values) if values else text


def _lang() -> str:
    """The report's language for ``report_format``: "en" or "ja"."""
    return "ja" if LANGUAGE.get() == "ja" else "en"


def _when(created: str) -> str:
    return report_ja.when(created) if LANGUAGE.get() == "ja" else fmt.when(created)


def _model(name: str) -> str:
    return report_ja.model_name(name) if LANGUAGE.get() == "ja" else name


def _member(name: str) -> str:
    """The baseline's and the library scenarios' names in the report's language."""
    if LANGUAGE.get() != "ja":
        return name
    return BASELINE_JA if name == BASELINE else SCENARIOS_JA.get(name, name)


def _split(kpi: str, label: str) -> tuple[str, str]:
    """A headline KPI's short name and definition in the report's language."""
    if LANGUAGE.get() != "ja":
        return fmt.name_and_detail(kpi, label)
    name = kpi_definitions.name(kpi, japanese=True) if catalogue.is_headline(kpi) else None
    return (name or fmt.name_and_detail(kpi, label)[0],
            kpi_definitions.definition(kpi, japanese=True))


# --- the table as rows ----------------------------------------------------------------------

def differences_frame(comparison: SavedComparison) -> pd.DataFrame:
    """One row per scenario and KPI (headline KPIs first), the ``Difference`` columns plus
    ``headline`` and ``effect`` (better / worse / changed / no material change / unclear);
    rows saved before thresholds existed are judged with the default ones."""
    rows = [judged(row) for row in fmt.order_rows(comparison.results)]
    records = [{c: row.to_dict()[c] for c in DIFFERENCE_COLUMNS}
               | {"headline": catalogue.is_headline(row.kpi), "effect": fmt.effect(row)}
               for row in rows]
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
    for column in NUMERIC_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["replications"] = pd.to_numeric(frame["replications"], errors="coerce").fillna(
        0).astype(int)
    for column in ("significant", "material"):
        frame[column] = frame[column].astype("boolean")
    frame["headline"] = frame["headline"].astype(bool)
    for column in ("note", "effect"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


# --- pieces of the page ---------------------------------------------------------------------

def _members(comparison: SavedComparison) -> tuple[str, list[str]]:
    """The baseline's name and the scenarios' names, in study order."""
    scenarios = list(dict.fromkeys(
        [s.name for s in comparison.scenarios]
        + [r.scenario for r in comparison.results]))
    baseline = next((m for m in comparison.charts if m not in scenarios), BASELINE)
    return baseline, [s for s in scenarios if s]


def baseline_name(comparison: SavedComparison) -> str:
    """What the baseline is called in this comparison (``Baseline`` unless saved otherwise)."""
    return _members(comparison)[0]


def _description(text: str) -> str:
    """The scenario file's description, read safely (text that is not YAML has none)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return ""
    return str(data.get("description") or "").strip() if isinstance(data, dict) else ""


def _labels(comparison: SavedComparison) -> tuple[dict[str, str], dict[str, str]]:
    """KPI id -> short label, and funnel role -> stage name, from the results."""
    labels: dict[str, str] = {}
    stages: dict[str, str] = {}
    for row in comparison.results:
        kpi, label = row.kpi, row.label
        labels.setdefault(kpi, fmt.name_and_detail(kpi, label)[0])
        found = catalogue.ref(kpi)
        if found.kind == "funnel" and found.item is not None:
            stages.setdefault(found.item, fmt.item_name(kpi, label))
    return labels, stages


@dataclass(frozen=True)
class RowName:
    """A table row's name: a KPI's short name with its definition under it (``definition``)
    or as its tooltip (``tip``), or an item's name; ``tail`` for a P90 under its median."""

    name: str
    definition: str = ""
    tip: str = ""
    tail: bool = False


def _row_name(kpi: str, label: str, section: str, inline: bool = True) -> RowName:
    """The row name; a headline KPI's definition under it (``inline``) or as its tooltip."""
    if section:
        return RowName(fmt.item_name(kpi, label))
    name, definition = _split(kpi, label)
    return RowName(name, definition) if inline else RowName(name, tip=definition)


def _page_facts(comparison: SavedComparison) -> dict[str, object]:
    """What the page's header and footer say of the comparison."""
    return {"name": comparison.name, "created": _when(comparison.created),
            "model": _model(comparison.model_name) or _("process model"),
            "fingerprint": comparison.model_fingerprint or "unknown",
            "short_fingerprint": comparison.model_fingerprint[:23],
            "replications": (replications_range(comparison.results)
                             or f"{comparison.replications:,}"),
            "replications_count": comparison.replications, "seed": comparison.seed,
            "run": fmt.run_text(dict(comparison.run or {}), _lang()),
            "precision": precision_summary(comparison.results,
                                           japanese=LANGUAGE.get() == "ja")}


def _nav(has_fidelity: bool, has_business_case: bool = False,
         has_segments: bool = False) -> list[tuple[str, str]]:
    """The page's sections: anchor and title."""
    links = [("glance", "At a glance"), ("scenarios", "Scenarios"),
             ("results", "Results by scenario"), ("charts", "Charts")]
    if has_business_case:
        links.insert(3, ("business-case", "Business case"))
    if has_segments:
        links.append(("segments", "KPIs by segment"))
    if has_fidelity:
        links.append(("trust", "How far to trust the baseline"))
    return links


def _cls(row: Difference) -> str:
    return {fmt.BETTER: "better", fmt.WORSE: "worse", fmt.CHANGED: "changed"}.get(
        fmt.effect(row), "")


def _unmapped(row: Difference) -> tuple[str, ...]:
    """The roles no activity plays that keep this KPI from being measured at all."""
    return unmapped_roles(row.note) if row.value is None else ()


def _unmapped_line(rows: list[Difference]) -> str:
    """One line, not a row per KPI, for the KPIs no activity of the log can measure (a log
    that is not lead-to-cash): which they are, and the roles that would measure them."""
    missing = {_split(r.kpi, r.label)[0]: _unmapped(r)
               for r in rows if _unmapped(r)}
    if not missing:
        return ""
    roles = dict.fromkeys(role for needed in missing.values() for role in needed)
    return _("Not measurable here, as no activity plays the roles they need: {kpis}. Map "
             "activities to the roles {roles} to measure them.", kpis=", ".join(missing),
             roles=", ".join(role_label(r, LANGUAGE.get()) for r in roles))


@dataclass(frozen=True)
class GlanceCell:
    """A scenario's value of a headline KPI and its change, coloured by its effect."""

    value: str
    pct: str
    significant: bool
    effect: str


@dataclass(frozen=True)
class GlanceRow:
    name: RowName
    baseline: str
    cells: list[GlanceCell | None]  # per scenario (None: not measured)


def _glance(rows: list[Difference], scenarios: list[str]) -> list[GlanceRow]:
    """Headline KPIs down, members across: each scenario's value and its change."""
    table: dict[str, dict[str, Difference]] = {}
    for row in rows:
        if row.group is None and catalogue.is_headline(row.kpi) and not _unmapped(row):
            table.setdefault(row.kpi, {})[row.scenario] = row
    found, lang = [], _lang()
    for kpi in sorted(table, key=lambda k: catalogue.headline_rank(catalogue.ref(k).kind)):
        by_scenario = table[kpi]
        first = next(iter(by_scenario.values()))
        unit = first.unit
        cells: list[GlanceCell | None] = []
        for scenario in scenarios:
            member = by_scenario.get(scenario)
            cells.append(None if member is None or member.value is None else GlanceCell(
                fmt.value_text(unit, member.value, True, lang),
                fmt.pct_text(member.pct_change), bool(member.significant), _cls(member)))
        found.append(GlanceRow(_row_name(kpi, first.label, ""),
                               fmt.value_text(unit, first.baseline, True, lang), cells))
    return found


@dataclass(frozen=True)
class DetailRow:
    """A KPI of one scenario against the baseline (``value`` None: not available, ``note``
    says why)."""

    name: RowName
    baseline: str
    value: str | None = None
    diff: str = ""
    pct: str = ""
    interval: str = ""
    significant: str = ""
    effect: str = ""
    note: str = ""


@dataclass(frozen=True)
class DetailTable:
    first: str  # the first column's heading: KPI, Activity, Resource, ...
    rows: list[DetailRow]


def _detail_table(rows: list[Difference], section: str) -> DetailTable:
    found, lang = [], _lang()
    for row in rows:
        unit = row.unit
        name = _row_name(row.kpi, row.label, section, inline=False)
        base = fmt.value_text(unit, row.baseline, lang=lang)
        if row.value is None:
            note = (_("not available") if LANGUAGE.get() == "ja"  # notes are English
                    else row.note or "not available")
            found.append(DetailRow(name, base, note=note))
            continue
        significant = row.significant
        found.append(DetailRow(
            name, base, fmt.value_text(unit, row.value, lang=lang),
            fmt.diff_text(unit, row.diff, lang=lang), fmt.pct_text(row.pct_change),
            fmt.ci_text(unit, row.ci_low, row.ci_high, lang=lang),
            "—" if significant is None else (_("Yes") if significant else _("No")), _cls(row)))
    first = "KPI" if not section else {
        "waiting_time": "Activity", "processing_time": "Activity", "utilisation": "Resource",
        "funnel": "Stage", "loss_at": "Last step", "frequency": "Activity"}.get(section, "Item")
    return DetailTable(first, found)


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's results: its headline table (None: no results saved), the count of
    better and worse, and the other blocks (title, table)."""

    scenario: str
    headline: DetailTable | None = None
    better: int = 0
    worse: int = 0
    unmapped: str = ""
    blocks: list[tuple[str, DetailTable]] = field(default_factory=list)


def _results(rows: list[Difference], scenarios: list[str]) -> list[ScenarioResult]:
    ungrouped = fmt.order_rows(r for r in rows if r.group is None)
    unmapped = {r.scenario: [u for u in ungrouped if _unmapped(u) and u.scenario == r.scenario]
                for r in ungrouped}
    ungrouped = [r for r in ungrouped if not _unmapped(r)]
    found = []
    for scenario in scenarios:
        mine = [r for r in ungrouped if r.scenario == scenario]
        if not mine:
            found.append(ScenarioResult(scenario))
            continue
        headline = [r for r in mine if catalogue.is_headline(r.kpi)]
        blocks = []
        for section in (s for s in catalogue.SECTIONS if s.id):
            block = [r for r in mine if catalogue.ref(r.kpi).block == section.id]
            if block:
                blocks.append((section.title, _detail_table(block, section.id)))
        other = [r for r in mine if catalogue.ref(r.kpi).block not in catalogue.SECTION_BY_ID]
        if other:
            blocks.append(("Other KPIs", _detail_table(other, "other")))
        found.append(ScenarioResult(
            scenario, _detail_table(headline, ""),
            sum(fmt.effect(r) == fmt.BETTER for r in headline),
            sum(fmt.effect(r) == fmt.WORSE for r in headline),
            _unmapped_line(unmapped.get(scenario, [])), blocks))
    return found


@dataclass(frozen=True)
class Card:
    """A scenario file as saved: its name, description, where it came from, its text."""

    name: str
    description: str
    source: str
    text: str


def _cards(comparison: SavedComparison) -> list[Card]:
    cards = []
    for scenario in comparison.scenarios:
        description = _description(scenario.text)
        if LANGUAGE.get() == "ja":  # the library's own words; the user's stay as written
            description = report_ja.DESCRIPTIONS_JA.get(scenario.name, description)
        cards.append(Card(scenario.name, description, scenario.source, scenario.text))
    return cards


def _figure_html(figure: go.Figure, div_id: str) -> Markup:
    """A chart's own HTML (Plotly's, its labels escaped by ``ui.report_charts``)."""
    return Markup(figure.to_html(
        full_html=False, include_plotlyjs=False,
        config=report_ja.plotly_config(PLOTLY_CONFIG, LANGUAGE.get()), div_id=div_id,
        default_width="100%"))


def _chart_words() -> tuple[dict[str, str] | None, Mapping[str, str]]:
    """The words on the charts and the KPI names of their panels, in Japanese when asked."""
    if LANGUAGE.get() != "ja":
        return None, {}
    from ui.app.i18n import KPI_JA, LABELS  # only a Japanese export needs the app's words

    return {key: LABELS[f"chart.{key}"][1] for key in charts_.WORDS
            if f"chart.{key}" in LABELS} | {"days": LABELS["unit.days"][1]}, KPI_JA


def _chart_data(data: Charts) -> dict[str, MemberCharts]:
    """Members (and the activities a scenario added) named in the report's language."""
    if LANGUAGE.get() != "ja":
        return dict(data)
    return renamed(data, _member, lambda a: a.replace(FIX_SUFFIX, FIX_JA))


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    caption: str
    figure: Markup


def _charts(comparison: SavedComparison, baseline: str) -> list[Chart] | None:
    """The charts of the saved chart data (None: none saved)."""
    data = _chart_data(comparison.charts or {})
    if not data:
        return None
    words, names = _chart_words()
    baseline = _member(baseline)
    labels, stages = _labels(comparison)
    labels = {k: names.get(k, v) for k, v in labels.items()}
    waiting, shown, total = charts_.waiting_figure(data, baseline, words)
    more = (_(" The {shown} activities with the longest waits of {total}; all are in the "
              "tables above.", shown=shown, total=total) if total > shown else "")
    blocks = [
        ("cycle-times", "Cycle-time distributions", charts_.cycle_time_figure(
            data, baseline, labels, words),
         "The share of cases done within a number of days: a curve further left means "
         "faster. Averaged over the replications; the shaded band is the 95% interval, the "
         "baseline is dashed."),
        ("funnel", "Funnel", charts_.funnel_figure(data, baseline, stages, words),
         "The share of closed cases that reached each stage, with the 95% interval over "
         "the replications; outcomes (won, lost) are shown apart."),
        ("cash", "Cash received per month", charts_.cash_figure(data, baseline, words),
         "Payments received per calendar month (net of discounts), mean over the "
         "replications. Shaded months lie only partly inside the run: their lower cash is "
         "not a drop."),
        ("waiting", "Bottlenecks: waiting before each activity", waiting,
         "Median wait before each activity starts, with the 95% interval over the "
         "replications."),
        ("utilisation", "Utilisation by resource pool", charts_.utilisation_figure(
            data, baseline, words),
         "The busy share of each pool's working time."),
        ("over-time", "Cases in progress week by week", charts_.over_time_figure(
            data, baseline, "wip", words),
         "The mean over the replications week by week, with its 95% interval (shaded); the "
         "history in grey. The weekly queues and busy shares of each pool are in the "
         "workbook's chart data and on the app's Compare page."),
    ]
    return [Chart(key, title, _(caption) + (more if key == "waiting" else ""),
                  _figure_html(figure, f"plot-{key}"))
            for key, title, figure, caption in blocks if figure is not None]


@dataclass(frozen=True)
class FidelityRow:
    """A KPI of the simulated baseline against the history (``reproduced`` None: cannot
    be told)."""

    name: RowName
    real: str
    simulated: str
    interval: str
    error: str
    reproduced: bool | None


@dataclass(frozen=True)
class Fidelity:
    rows: int
    said: Markup  # how many are reproduced, and what that means
    head: list[FidelityRow]
    rest: list[FidelityRow]


def _fidelity(checked: Iterable[fidelity_row.FidelityRow]) -> Fidelity:
    rows = sorted(checked, key=lambda r: (
        0 if catalogue.is_headline(r.kpi) else 1,
        catalogue.headline_rank(catalogue.ref(r.kpi).kind), r.kpi.endswith(".p90")))
    reproduced, lang = sum(bool(r.reproduced) for r in rows), _lang()

    def row(r: fidelity_row.FidelityRow) -> FidelityRow:
        unit, error, ok = r.unit, r.error, r.reproduced
        err = fmt.pct_text(error) if error is not None and math.isfinite(error) else fmt.MISSING
        interval = (fmt.number(unit, r.ci_low) + fmt.WORDS[lang]["to"]
                    + fmt.value_text(unit, r.ci_high, lang=lang)
                    if r.ci_low is not None and r.ci_high is not None else fmt.MISSING)
        kpi, label = r.kpi, r.label
        if kpi.endswith(".p90"):
            name = RowName(f"{_split(kpi, label.removesuffix(' (P90)'))[0]}, P90",
                           tip=_("9 in 10 cases take at most this long"), tail=True)
        elif catalogue.is_headline(kpi):
            name = _row_name(kpi, label, "", inline=False)
        else:  # blocks are mixed here: the full label says which one
            name = RowName(_item_label(kpi, label))
        return FidelityRow(name, fmt.value_text(unit, r.real, False, lang),
                           fmt.value_text(unit, r.simulated, False, lang), interval, err, ok)

    said = phrase(_)(
        "<strong>{reproduced} of {total}</strong> KPIs of the history are reproduced by "
        "the simulated baseline: the real value lies in the simulated 95% interval, or "
        "within 10% of the simulated value. Where the baseline misses the history, read "
        "the scenarios' differences on that KPI with care.", reproduced=reproduced,
        total=len(rows))
    return Fidelity(len(rows), said, [row(r) for r in rows if catalogue.is_headline(r.kpi)],
                    [row(r) for r in rows if not catalogue.is_headline(r.kpi)])


def _item_label(kpi: str, label: str) -> str:
    """A KPI of one activity, person or stage: its full label, or in Japanese the section's
    name and the item's."""
    if LANGUAGE.get() != "ja":
        return label
    from ui.app.i18n import LABELS  # only a Japanese export needs the app's words

    section = LABELS.get(f"section.{catalogue.ref(kpi).block}")
    return f"{section[1]}: {fmt.item_name(kpi, label)}" if section else label


HOW_TO_READ = (
    "Each scenario is simulated with the same random numbers as the baseline (the same "
    "leads arrive, the same deals are won), so a difference is the effect of the change, "
    "not of luck. The <strong>95% interval</strong> is the range the true difference lies "
    "in with 95% confidence; a difference is <strong>significant</strong> (●) when that "
    "interval excludes zero. <span class=\"better\">Green</span> marks an improvement, "
    "<span class=\"worse\">red</span> a worsening, each significant and larger than the "
    "KPI's practical threshold (by default the smaller of half a day and 1% for durations, "
    "of a quarter day and 5% for the invoice lag, one percentage point for rates, 1% "
    "otherwise). Durations are "
    "medians in days; shares are in %, their differences in percentage points (pp); money "
    "is per month.")


SEGMENT_CHARTS = 3  # the KPIs the changes move most in some segment, charted


@dataclass(frozen=True)
class SegmentCell:
    baseline: str
    value: str
    diff: str  # the difference and its interval
    clear: bool  # the interval excludes zero


@dataclass(frozen=True)
class SegmentRows:
    name: RowName
    cells: list[SegmentCell | None]  # per segment (None: not measured)


@dataclass(frozen=True)
class SegmentTable:
    scenario: str
    segments: list[str]
    rows: list[SegmentRows]


@dataclass(frozen=True)
class SegmentChart:
    number: int
    kpi: str  # its short name
    figure: Markup


@dataclass(frozen=True)
class Segments:
    read: str  # how to read the tables
    by: str  # the attribute, as the reader knows it
    charts: list[SegmentChart]
    tables: list[SegmentTable]


def _segments(comparison: SavedComparison, baseline: str) -> Segments | None:
    """The headline KPIs segment by segment (``sim.segments``), as measured before the
    comparison was saved: a chart of each KPI the changes move most, then per scenario a
    table, a row per KPI and a column per segment (None: not measured)."""
    if comparison.segments is None or not comparison.segments.rows:
        return None
    rows, by = comparison.segments.rows, comparison.segments.by
    shown = _("deal size band (amount tertiles)") if by == DEAL_SIZE else by
    words = _segment_words()
    named = [replace(r, scenario=_member(r.scenario)) for r in rows]
    charts = []
    for number, kpi in enumerate(most_changed(rows, SEGMENT_CHARTS)):
        figure = charts_.segment_figure(named, kpi, _member(baseline), words)
        label = next(r.label for r in rows if r.kpi == kpi)
        if figure is not None:
            charts.append(SegmentChart(number, _split(kpi, label)[0],
                                       _figure_html(figure, f"plot-segment-{number}")))
    tables = []
    for scenario in dict.fromkeys(r.scenario for r in rows):
        mine = [r for r in rows if r.scenario == scenario]
        segments = list(dict.fromkeys(r.segment for r in mine))
        cells = {(r.kpi, r.segment): r for r in mine}
        tables.append(SegmentTable(scenario, segments, [
            SegmentRows(_row_name(kpi, label, "", inline=False),
                        [_segment_cell(cells.get((kpi, s))) for s in segments])
            for kpi, label in dict.fromkeys((r.kpi, r.label) for r in mine)]))
    return Segments(SEGMENTS_READ, shown, charts, tables)


SEGMENTS_READ = ("Each headline KPI of the cases of each {by}: the baseline's value → the "
                 "scenario's, then the difference and its 95% interval, paired replication "
                 "by replication. Bold where the interval excludes zero.")


def _segment_cell(row: SegmentRow | None) -> SegmentCell | None:
    if row is None or row.value is None:
        return None
    lang = _lang()
    diff = (f"{fmt.diff_text(row.unit, row.diff, lang=lang)} "
            f"({fmt.ci_text(row.unit, row.ci_low, row.ci_high, compact=True, lang=lang)})")
    return SegmentCell(fmt.value_text(row.unit, row.baseline, lang=lang),
                       fmt.value_text(row.unit, row.value, lang=lang), diff,
                       bool(row.clear_of_zero))


def _segment_words() -> dict[str, str] | None:
    """The segment chart's words in Japanese (None: its English ones)."""
    if LANGUAGE.get() != "ja":
        return None
    from ui.app.i18n import LABELS  # only a Japanese export needs the app's words

    return {"segment_axis": LABELS["seg.axis"][1], "unit_days": LABELS["unit.days"][1],
            **{f"unit_{unit}": LABELS[f"seg.unit_{key}"][1] for unit, key in (
                ("share", "share"), ("per_month", "per_month"),
                ("money_per_month", "per_month"), ("cases", "cases"), ("count", "count"))}}


def html_report(comparison: SavedComparison,
                fidelity: list[fidelity_row.FidelityRow] | None = None,
                language: str = "en") -> str:
    """The comparison as one self-contained HTML page: facts, KPI tables with intervals,
    scenario files, charts and (given ``fidelity`` rows) how far to trust the baseline; in
    English, or in Japanese (``language="ja"``) for the app's Japanese readers."""
    token = LANGUAGE.set(language)
    try:
        return str(_page(comparison, fidelity, language))
    finally:
        LANGUAGE.reset(token)


def _page(comparison: SavedComparison, fidelity: list[fidelity_row.FidelityRow] | None,
          language: str) -> Markup:
    from plotly.offline import get_plotlyjs

    baseline, scenarios = _members(comparison)
    rows = list(comparison.results)
    case = comparison.business_case
    segments = _segments(comparison, baseline)
    return render(
        "report.html.j2", _=_, member=_member, language=language, baseline=baseline,
        scenarios=scenarios, missing=fmt.MISSING, page=_page_facts(comparison),
        plotly=Markup(get_plotlyjs()),
        nav=_nav(fidelity is not None, case is not None, segments is not None),
        how_to_read=phrase(_)(HOW_TO_READ), glance=_glance(rows, scenarios),
        cards=_cards(comparison), results=_results(rows, scenarios),
        business_case=None if case is None else business_case_html(
            case, baseline, _member, language == "ja"),
        charts=_charts(comparison, baseline), segments=segments,
        fidelity=None if fidelity is None else _fidelity(fidelity))
