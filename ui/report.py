"""A saved comparison as one self-contained HTML file a process owner can mail.

Everything is inside the file: the styles, the chart data and the Plotly library (inlined
once), no web fonts, no links out. Every text that came from a user or a log (names,
descriptions, scenario files, activity names) is HTML-escaped. ``differences_frame`` is
the KPI table as rows, shared with the CSV and Excel exports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import yaml

from scenarios.changes import FIX_SUFFIX
from sim.chart_data import Charts, MemberCharts, renamed
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
from ui.precision_text import precision_summary
from ui.report_business_case import business_case_html
from ui.report_format import esc
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
    name = kpi_definitions.name(kpi, japanese=True) if fmt.is_headline(kpi) else None
    return (name or fmt.name_and_detail(kpi, label)[0],
            kpi_definitions.definition(kpi, japanese=True))


# --- the table as rows ----------------------------------------------------------------------

def differences_frame(comparison: SavedComparison) -> pd.DataFrame:
    """One row per scenario and KPI (headline KPIs first), the ``Difference`` columns plus
    ``headline`` and ``effect`` (better / worse / changed / no material change); rows saved
    before thresholds existed are judged with the default ones."""
    rows = [judged(row) for row in fmt.order_rows(comparison.results)]
    records = [{c: row.get(c) for c in DIFFERENCE_COLUMNS}
               | {"headline": fmt.is_headline(str(row.get("kpi", ""))),
                  "effect": fmt.effect(row)} for row in rows]
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
        [str(s.get("name", "")) for s in comparison.scenarios]
        + [str(r.get("scenario", "")) for r in comparison.results]))
    baseline = next((m for m in comparison.charts if m not in scenarios), BASELINE)
    return baseline, [s for s in scenarios if s]


def baseline_name(comparison: SavedComparison) -> str:
    """What the baseline is called in this comparison (``Baseline`` unless saved otherwise)."""
    return _members(comparison)[0]


def _description(scenario: Mapping[str, object]) -> str:
    """The scenario file's description, read safely (text that is not YAML has none)."""
    try:
        data = yaml.safe_load(str(scenario.get("text") or ""))
    except yaml.YAMLError:
        return ""
    return str(data.get("description") or "").strip() if isinstance(data, dict) else ""


def _labels(comparison: SavedComparison) -> tuple[dict[str, str], dict[str, str]]:
    """KPI id -> short label, and funnel role -> stage name, from the results."""
    labels: dict[str, str] = {}
    stages: dict[str, str] = {}
    for row in comparison.results:
        kpi, label = str(row.get("kpi", "")), str(row.get("label", ""))
        labels.setdefault(kpi, fmt.name_and_detail(kpi, label)[0])
        found = catalogue.ref(kpi)
        if found.kind == "funnel" and found.item is not None:
            stages.setdefault(found.item, fmt.item_name(kpi, label))
    return labels, stages


def _header(comparison: SavedComparison, baseline: str, scenarios: list[str]) -> str:
    fingerprint = esc(comparison.model_fingerprint or "unknown")
    facts = [
        (_("Model"), esc(_model(comparison.model_name) or _("process model"))),
        (_("Fingerprint"), f'<code class="fingerprint">{fingerprint}</code>'),
        (_("Scenarios"), _("{n} against {baseline}", n=len(scenarios),
                           baseline=esc(_member(baseline)))),
        (_("Replications"), _("{n} per member, paired (same seeds)",
                              n=f"{comparison.replications:,}")),
        (_("Seed"), esc(comparison.seed)),
        (_("Run length"), esc(fmt.run_text(dict(comparison.run or {}), _lang()))),
    ]
    reached = precision_summary(comparison.results, japanese=LANGUAGE.get() == "ja")
    if reached:
        facts.insert(4, (_("Precision"), esc(reached)))
    items = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
    return (f'<header><p class="kicker">{_("Lead-to-cash what-if comparison")}</p>'
            f"<h1>{esc(comparison.name)}</h1>"
            f'<p class="date">{_("Created {when}", when=esc(_when(comparison.created)))}'
            f'</p><dl class="facts">{items}</dl></header>')


def _nav(has_fidelity: bool, has_business_case: bool = False,
         has_segments: bool = False) -> str:
    links = [("glance", "At a glance"), ("scenarios", "Scenarios"),
             ("results", "Results by scenario"), ("charts", "Charts")]
    if has_business_case:
        links.insert(3, ("business-case", "Business case"))
    if has_segments:
        links.append(("segments", "KPIs by segment"))
    if has_fidelity:
        links.append(("trust", "How far to trust the baseline"))
    return '<nav>' + "".join(f'<a href="#{a}">{_(t)}</a>' for a, t in links) + "</nav>"


def _cls(row: Mapping[str, object]) -> str:
    return {fmt.BETTER: "better", fmt.WORSE: "worse", fmt.CHANGED: "changed"}.get(
        fmt.effect(row), "")


def _kpi_cell(kpi: str, label: str, section: str, inline: bool = True) -> str:
    """The row name; a headline KPI's definition under it (``inline``) or as its tooltip."""
    if section:
        return f'<th scope="row">{esc(fmt.item_name(kpi, label))}</th>'
    name, definition = _split(kpi, label)
    if not inline:
        tip = f' title="{esc(definition)}"' if definition else ""
        return f'<th scope="row"{tip}>{esc(name)}</th>'
    extra = f'<span class="def">{esc(definition)}</span>' if definition else ""
    return f'<th scope="row">{esc(name)}{extra}</th>'


def _unmapped(row: Mapping[str, object]) -> tuple[str, ...]:
    """The roles no activity plays that keep this KPI from being measured at all."""
    return unmapped_roles(str(row.get("note") or "")) if row.get("value") is None else ()


def _unmapped_line(rows: list[dict[str, object]]) -> str:
    """One line, not a row per KPI, for the KPIs no activity of the log can measure (a log
    that is not lead-to-cash): which they are, and the roles that would measure them."""
    missing = {_split(str(r.get("kpi", "")), str(r.get("label", "")))[0]: _unmapped(r)
               for r in rows if _unmapped(r)}
    if not missing:
        return ""
    roles = dict.fromkeys(role for needed in missing.values() for role in needed)
    text = _("Not measurable here, as no activity plays the roles they need: {kpis}. Map "
             "activities to the roles {roles} to measure them.", kpis=", ".join(missing),
             roles=", ".join(role_label(r, LANGUAGE.get()) for r in roles))
    return f'<p class="muted">{esc(text)}</p>'


def _glance(rows: list[dict[str, object]], baseline: str, scenarios: list[str]) -> str:
    """Headline KPIs down, members across: each scenario's value and its change."""
    table: dict[str, dict[str, dict[str, object]]] = {}
    for row in rows:
        if (row.get("group") is None and fmt.is_headline(str(row.get("kpi", "")))
                and not _unmapped(row)):
            table.setdefault(str(row["kpi"]), {})[str(row.get("scenario"))] = row
    if not table:
        return f'<p class="muted">{_("No KPI results were saved with this comparison.")}</p>'
    head = "".join(f'<th scope="col">{esc(_member(s))}</th>' for s in scenarios)
    body, lang = [], _lang()
    for kpi in sorted(table, key=lambda k: catalogue.headline_rank(catalogue.ref(k).kind)):
        by_scenario = table[kpi]
        first = next(iter(by_scenario.values()))
        unit = str(first.get("unit", ""))
        cells = [_kpi_cell(kpi, str(first.get("label", "")), ""),
                 f'<td class="num base">'
                 f'{esc(fmt.value_text(unit, first.get("baseline"), True, lang))}</td>']
        for scenario in scenarios:
            member = by_scenario.get(scenario)
            if member is None or member.get("value") is None:
                cells.append(f'<td class="num na">{fmt.MISSING}</td>')
                continue
            klass = _cls(member)
            mark = " ●" if member.get("significant") else ""
            cells.append(
                f'<td class="num cell {klass}">'
                f'<span class="v">'
                f'{esc(fmt.value_text(unit, member.get("value"), True, lang))}</span>'
                f'<span class="pct">{esc(fmt.pct_text(member.get("pct_change")))}{mark}</span>'
                "</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="scroll"><table class="glance"><thead><tr><th scope="col">KPI</th>'
            f'<th scope="col">{esc(_member(baseline))}</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _detail_table(rows: list[dict[str, object]], baseline: str, section: str) -> str:
    body, lang = [], _lang()
    for row in rows:
        kpi, unit = str(row.get("kpi", "")), str(row.get("unit", ""))
        name = _kpi_cell(kpi, str(row.get("label", "")), section, inline=False)
        base = esc(fmt.value_text(unit, row.get("baseline"), lang=lang))
        if row.get("value") is None:
            note = esc(_("not available") if LANGUAGE.get() == "ja"  # notes are English
                       else row.get("note") or "not available")
            body.append(f'<tr class="na">{name}<td class="num">{base}</td>'
                        f'<td colspan="5" class="note">{note}</td></tr>')
            continue
        significant = row.get("significant")
        sig = "—" if significant is None else (_("Yes") if significant else _("No"))
        klass = _cls(row)
        body.append(
            f"<tr>{name}<td class=\"num\">{base}</td>"
            f'<td class="num">{esc(fmt.value_text(unit, row.get("value"), lang=lang))}</td>'
            f'<td class="num {klass}">{esc(fmt.diff_text(unit, row.get("diff"), lang=lang))}</td>'
            f'<td class="num {klass}">{esc(fmt.pct_text(row.get("pct_change")))}</td>'
            f'<td class="num ci">'
            f'{esc(fmt.ci_text(unit, row.get("ci_low"), row.get("ci_high"), lang=lang))}'
            f'</td><td class="sig {klass}">{sig}</td></tr>')
    first = _("KPI") if not section else _({
        "waiting_time": "Activity", "processing_time": "Activity", "utilisation": "Resource",
        "funnel": "Stage", "loss_at": "Last step", "frequency": "Activity"}.get(section, "Item"))
    heads = "".join(f'<th scope="col">{_(h)}</th>' for h in (
        "Scenario", "Difference", "Change", "95% interval", "Significant"))
    return (f'<div class="scroll"><table class="detail"><thead><tr><th scope="col">{first}</th>'
            f'<th scope="col">{esc(_member(baseline))}</th>{heads}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _results(rows: list[dict[str, object]], baseline: str, scenarios: list[str]) -> str:
    ungrouped = fmt.order_rows(r for r in rows if r.get("group") is None)
    unmapped = {str(r.get("scenario")): [u for u in ungrouped if _unmapped(u)
                                         and u.get("scenario") == r.get("scenario")]
                for r in ungrouped}
    ungrouped = [r for r in ungrouped if not _unmapped(r)]
    parts = []
    for number, scenario in enumerate(scenarios, start=1):
        mine = [r for r in ungrouped if str(r.get("scenario")) == scenario]
        if not mine:
            parts.append(f'<section class="scenario"><h3>{esc(_member(scenario))}</h3>'
                         f'<p class="muted">{_("No results saved for this scenario.")}</p>'
                         "</section>")
            continue
        headline = [r for r in mine if fmt.is_headline(str(r.get("kpi", "")))]
        better = sum(fmt.effect(r) == fmt.BETTER for r in headline)
        worse = sum(fmt.effect(r) == fmt.WORSE for r in headline)
        of = _("of {n} headline KPIs, significant at 95% and beyond the practical threshold",
               n=len(headline))
        summary = (f'<p class="summary"><span class="pill better">{_("{n} better", n=better)}'
                   f'</span><span class="pill worse">{_("{n} worse", n=worse)}</span>'
                   f'<span class="muted">{of}</span></p>')
        blocks = []
        for prefix, title in fmt.SECTIONS:
            block = [r for r in mine if fmt.section_of(str(r.get("kpi", ""))) == prefix]
            if block:
                blocks.append(f"<h4>{esc(_(title))}</h4>{_detail_table(block, baseline, prefix)}")
        known = {p for p, _ in fmt.SECTIONS} | {""}
        other = [r for r in mine if fmt.section_of(str(r.get("kpi", ""))) not in known]
        if other:
            blocks.append(f"<h4>{_('Other KPIs')}</h4>{_detail_table(other, baseline, 'other')}")
        summary_more = _("More KPIs: waiting and processing times, utilisation, funnel and "
                         "losses")
        more = (f"<details><summary>{summary_more}</summary>{''.join(blocks)}</details>"
                if blocks else "")
        parts.append(f'<section class="scenario" id="result-{number}">'
                     f"<h3>{esc(_member(scenario))}</h3>"
                     f"{summary}{_detail_table(headline, baseline, '')}"
                     f"{_unmapped_line(unmapped.get(scenario, []))}{more}</section>")
    return "".join(parts)


def _scenarios(comparison: SavedComparison) -> str:
    if not comparison.scenarios:
        return f'<p class="muted">{_("No scenario files were saved with this comparison.")}</p>'
    cards = []
    for scenario in comparison.scenarios:
        description = _description(scenario)
        if LANGUAGE.get() == "ja":  # the library's own words; the user's stay as written
            description = report_ja.DESCRIPTIONS_JA.get(str(scenario.get("name")), description)
        source = str(scenario.get("source") or "")
        cards.append(
            f'<article class="card"><h3>{esc(_member(str(scenario.get("name"))))}</h3>'
            + (f'<p>{esc(description)}</p>' if description else "")
            + (f'<p class="source">{_("Scenario file:")} <code>{esc(source)}</code></p>'
               if source else "")
            + f'<pre>{esc(scenario.get("text") or "")}</pre></article>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _figure_html(figure: go.Figure, div_id: str) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False,
                          config=report_ja.plotly_config(PLOTLY_CONFIG, LANGUAGE.get()),
                          div_id=div_id, default_width="100%")


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


def _charts(comparison: SavedComparison, baseline: str) -> str:
    data = _chart_data(comparison.charts or {})
    if not data:
        return f'<p class="muted">{_("No chart data was saved with this comparison.")}</p>'
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
    parts = []
    for key, title, figure, caption in blocks:
        if figure is None:
            continue
        said = _(caption) + (more if key == "waiting" else "")
        parts.append(f'<figure class="chart" id="chart-{key}"><h3>{esc(_(title))}</h3>'
                     f'<p class="muted">{esc(said)}</p>'
                     f'{_figure_html(figure, f"plot-{key}")}</figure>')
    return "".join(parts) or f'<p class="muted">{_("No chart data was saved.")}</p>'


def _fidelity(rows: Iterable[Mapping[str, object]]) -> str:
    rows = sorted((dict(r) for r in rows), key=lambda r: (
        0 if fmt.is_headline(str(r.get("kpi", ""))) else 1,
        catalogue.headline_rank(catalogue.ref(str(r.get("kpi", ""))).kind),
        str(r.get("kpi", "")).endswith(".p90")))
    if not rows:
        return f'<p class="muted">{_("No KPI could be compared with the history.")}</p>'
    reproduced, lang = sum(bool(r.get("reproduced")) for r in rows), _lang()

    def table(chosen: list[Mapping[str, object]]) -> str:
        body = []
        for r in chosen:
            unit = str(r.get("unit", ""))
            error = r.get("error")
            ok = r.get("reproduced")
            verdict = (f'<td class="sig better">{_("Yes")}</td>' if ok else
                       f'<td class="sig worse">{_("No")}</td>' if ok is not None else
                       '<td class="sig">—</td>')
            err = (fmt.pct_text(error) if isinstance(error, (int, float))
                   and math.isfinite(error) else fmt.MISSING)
            interval = (fmt.number(unit, r.get("ci_low")) + fmt.WORDS[lang]["to"]
                        + fmt.value_text(unit, r.get("ci_high"), lang=lang)
                        if r.get("ci_low") is not None and r.get("ci_high") is not None
                        else fmt.MISSING)
            kpi, label = str(r.get("kpi", "")), str(r.get("label", ""))
            if kpi.endswith(".p90"):
                name = f"{_split(kpi, label.removesuffix(' (P90)'))[0]}, P90"
                tip = _("9 in 10 cases take at most this long")
                cell = f'<th scope="row" class="tail" title="{tip}">{esc(name)}</th>'
            elif fmt.is_headline(kpi):
                cell = _kpi_cell(kpi, label, "", inline=False)
            else:  # blocks are mixed here: the full label says which one
                cell = f'<th scope="row">{esc(_item_label(kpi, label))}</th>'
            body.append(f'<tr>{cell}'
                        f'<td class="num">{esc(fmt.value_text(unit, r.get("real"), False, lang))}'
                        "</td>"
                        f'<td class="num">'
                        f'{esc(fmt.value_text(unit, r.get("simulated"), False, lang))}'
                        "</td>"
                        f'<td class="num ci">{esc(interval)}</td>'
                        f'<td class="num">{esc(err)}</td>{verdict}</tr>')
        heads = "".join(f'<th scope="col">{_(h)}</th>' for h in (
            "KPI", "History", "Simulated", "95% interval", "Error", "Reproduced"))
        return (f'<div class="scroll"><table class="detail"><thead><tr>{heads}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table></div>")

    head = [r for r in rows if fmt.is_headline(str(r.get("kpi", "")))]
    rest = [r for r in rows if not fmt.is_headline(str(r.get("kpi", "")))]
    summary = _("{n} more KPIs (waiting and processing times, funnel, …)", n=len(rest))
    more = (f"<details><summary>{summary}</summary>{table(rest)}</details>" if rest else "")
    said = _("<strong>{reproduced} of {total}</strong> KPIs of the history are reproduced by "
             "the simulated baseline: the real value lies in the simulated 95% interval, or "
             "within 10% of the simulated value. Where the baseline misses the history, read "
             "the scenarios' differences on that KPI with care.", reproduced=reproduced,
             total=len(rows))
    return f"<p>{said}</p>{table(head) if head else ''}{more}"


def _item_label(kpi: str, label: str) -> str:
    """A KPI of one activity, person or stage: its full label, or in Japanese the section's
    name and the item's."""
    if LANGUAGE.get() != "ja":
        return label
    from ui.app.i18n import LABELS  # only a Japanese export needs the app's words

    section = LABELS.get(f"section.{fmt.section_of(kpi)}")
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


def _segments(comparison: SavedComparison, baseline: str) -> str:
    """The headline KPIs segment by segment (``sim.segments``), as measured before the
    comparison was saved: a chart of each KPI the changes move most, then per scenario a
    table, a row per KPI and a column per segment."""
    stored = comparison.segments.get("rows")
    rows = [SegmentRow.from_dict(r) for r in stored if isinstance(r, Mapping)] if isinstance(
        stored, list) else []
    if not rows:
        return ""
    by = str(comparison.segments.get("by", ""))
    shown = _("deal size band (amount tertiles)") if by == DEAL_SIZE else by
    words = _segment_words()
    parts = [f'<p class="lead">{esc(_(SEGMENTS_READ, by=shown))}</p>']
    named = [replace(r, scenario=_member(r.scenario)) for r in rows]
    for number, kpi in enumerate(most_changed(rows, SEGMENT_CHARTS)):
        figure = charts_.segment_figure(named, kpi, _member(baseline), words)
        label = next(r.label for r in rows if r.kpi == kpi)
        if figure is not None:
            parts.append(f'<figure class="chart" id="chart-segment-{number}"><h3>'
                         f'{esc(_("{kpi} by {by}", kpi=_split(kpi, label)[0], by=shown))}'
                         f"</h3>{_figure_html(figure, f'plot-segment-{number}')}</figure>")
    for scenario in dict.fromkeys(r.scenario for r in rows):
        mine = [r for r in rows if r.scenario == scenario]
        segments = list(dict.fromkeys(r.segment for r in mine))
        cells = {(r.kpi, r.segment): r for r in mine}
        heads = "".join(f'<th scope="col">{esc(s)}</th>' for s in segments)
        body = "".join(
            f"<tr>{_kpi_cell(kpi, label, '', inline=False)}"
            + "".join(_segment_cell(cells.get((kpi, s))) for s in segments) + "</tr>"
            for kpi, label in dict.fromkeys((r.kpi, r.label) for r in mine))
        parts.append(f'<section class="scenario"><h3>{esc(_member(scenario))}</h3>'
                     f'<div class="scroll"><table class="detail"><thead><tr>'
                     f'<th scope="col">KPI</th>{heads}</tr></thead><tbody>{body}</tbody>'
                     "</table></div></section>")
    return "".join(parts)


SEGMENTS_READ = ("Each headline KPI of the cases of each {by}: the baseline's value → the "
                 "scenario's, then the difference and its 95% interval, paired replication "
                 "by replication. Bold where the interval excludes zero.")


def _segment_cell(row: SegmentRow | None) -> str:
    if row is None or row.value is None:
        return f'<td class="num">{fmt.MISSING}</td>'
    lang = _lang()
    diff = (f"{fmt.diff_text(row.unit, row.diff, lang=lang)} "
            f"({fmt.ci_text(row.unit, row.ci_low, row.ci_high, compact=True, lang=lang)})")
    return (f'<td class="num">{esc(fmt.value_text(row.unit, row.baseline, lang=lang))} → '
            f'{esc(fmt.value_text(row.unit, row.value, lang=lang))}<br><span class="ci">'
            f"{'<b>' + esc(diff) + '</b>' if row.clear_of_zero else esc(diff)}</span></td>")


def _segment_words() -> dict[str, str] | None:
    """The segment chart's words in Japanese (None: its English ones)."""
    if LANGUAGE.get() != "ja":
        return None
    from ui.app.i18n import LABELS  # only a Japanese export needs the app's words

    return {"segment_axis": LABELS["seg.axis"][1], "unit_days": LABELS["unit.days"][1],
            **{f"unit_{unit}": LABELS[f"seg.unit_{key}"][1] for unit, key in (
                ("share", "share"), ("per_month", "per_month"),
                ("money_per_month", "per_month"), ("cases", "cases"), ("count", "count"))}}


def html_report(comparison: SavedComparison, fidelity: list[dict] | None = None,
                language: str = "en") -> str:
    """The comparison as one self-contained HTML page: facts, KPI tables with intervals,
    scenario files, charts and (given ``fidelity`` rows) how far to trust the baseline; in
    English, or in Japanese (``language="ja"``) for the app's Japanese readers."""
    token = LANGUAGE.set(language)
    try:
        return _page(comparison, fidelity, language)
    finally:
        LANGUAGE.reset(token)


def _page(comparison: SavedComparison, fidelity: list[dict] | None, language: str) -> str:
    from plotly.offline import get_plotlyjs

    baseline, scenarios = _members(comparison)
    rows = list(comparison.results)
    japanese, case = language == "ja", comparison.read_business_case()
    sections = [
        _header(comparison, baseline, scenarios),
        _nav(fidelity is not None, case is not None,
             bool(comparison.segments.get("rows"))),
        f'<section id="glance"><h2>{_("At a glance")}</h2><p class="lead">{_(HOW_TO_READ)}'
        f"</p>{_glance(rows, baseline, scenarios)}</section>",
        f'<section id="scenarios"><h2>{_("Scenarios")}</h2>{_scenarios(comparison)}</section>',
        f'<section id="results"><h2>{_("Results by scenario")}</h2>'
        f"{_results(rows, baseline, scenarios)}</section>",
        *([f'<section id="business-case"><h2>{_("Business case")}</h2>'
           f"{business_case_html(case, baseline, _member, japanese)}"
           "</section>"] if case is not None else []),
        f'<section id="charts"><h2>{_("Charts")}</h2>{_charts(comparison, baseline)}</section>',
    ]
    by_segment = _segments(comparison, baseline)
    if by_segment:
        sections.append(f'<section id="segments"><h2>{_("KPIs by segment")}</h2>'
                        f"{by_segment}</section>")
    if fidelity is not None:
        sections.append(f'<section id="trust"><h2>{_("How far to trust the baseline")}</h2>'
                        f"{_fidelity(fidelity)}</section>")
    footer = _("Lead-to-cash planner · {name} · model {fingerprint}… · seed {seed}, {reps} "
               "replications", name=esc(comparison.name),
               fingerprint=esc(comparison.model_fingerprint[:23]), seed=esc(comparison.seed),
               reps=comparison.replications)
    title = _("{name} — lead-to-cash comparison", name=esc(comparison.name))
    return (f'<!DOCTYPE html>\n<html lang="{esc(language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title>"
            f"<style>{STYLE}</style>"
            f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
            f"<body><main>{''.join(sections)}<footer>{footer}</footer></main></body></html>\n")


STYLE = """
:root { --text:#1f2937; --muted:#6b7280; --line:#e5e7eb; --soft:#f8fafc; --accent:#2563eb;
  --better:#15803d; --better-bg:#dcfce7; --worse:#b91c1c; --worse-bg:#fee2e2;
  --changed:#a16207; --changed-bg:#fef9c3; }
* { box-sizing: border-box; }
html { background:#f1f5f9; }
body { margin:0; color:var(--text); font-size:15px; line-height:1.55;
  font-family:-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif;
  -webkit-font-smoothing:antialiased; font-variant-numeric:tabular-nums; }
main { max-width:1180px; margin:24px auto; padding:40px 48px 32px; background:#fff;
  border-radius:12px; box-shadow:0 1px 3px rgba(15,23,42,.08); }
h1 { font-size:30px; line-height:1.2; margin:4px 0 6px; letter-spacing:-.01em; }
h2 { font-size:21px; margin:44px 0 12px; padding-bottom:6px; border-bottom:2px solid var(--line); }
h3 { font-size:17px; margin:26px 0 8px; }
h4 { font-size:14px; margin:20px 0 6px; color:var(--muted); text-transform:uppercase;
  letter-spacing:.04em; }
p { margin:8px 0; } .lead { max-width:860px; color:#374151; }
.kicker { margin:0; color:var(--accent); font-weight:600; font-size:13px;
  text-transform:uppercase; letter-spacing:.06em; }
.date, .muted { color:var(--muted); } .muted { font-size:14px; }
.facts { display:grid; grid-template-columns:repeat(auto-fit, minmax(230px, 1fr)); gap:10px 28px;
  margin:20px 0 8px; padding:16px 20px; background:var(--soft); border:1px solid var(--line);
  border-radius:10px; }
.facts div { min-width:0; } .facts dt { font-size:12px; color:var(--muted);
  text-transform:uppercase; letter-spacing:.05em; }
.facts dd { margin:2px 0 0; font-weight:500; overflow-wrap:anywhere; }
code, pre { font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size:13px; }
.fingerprint { font-size:12px; font-weight:400; color:#374151; }
nav { display:flex; flex-wrap:wrap; gap:6px 18px; margin:18px 0 0; font-size:14px; }
nav a { color:var(--accent); text-decoration:none; } nav a:hover { text-decoration:underline; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:14px; }
th, td { padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted);
  font-weight:600; text-align:right; border-bottom:2px solid var(--line); vertical-align:bottom; }
thead th:first-child, tbody th { text-align:left; }
tbody th { font-weight:600; } tbody tr:hover { background:var(--soft); }
th.tail { font-weight:400; color:#4b5563; padding-left:22px; }
.def { display:block; font-weight:400; font-size:12px; color:var(--muted); }
.num { text-align:right; white-space:nowrap; } .ci { color:#4b5563; }
.sig { text-align:center; } .note, .na { color:var(--muted); }
.better { color:var(--better); font-weight:600; } .worse { color:var(--worse); font-weight:600; }
.changed { color:var(--changed); font-weight:600; }
table.glance thead th { text-transform:none; letter-spacing:0; font-size:12.5px;
  min-width:92px; max-width:130px; }
table.glance td, table.glance th { padding:6px 8px; }
table.glance td.base { color:#111827; font-weight:600; background:var(--soft); }
table.glance .cell .v, table.glance .cell .pct { display:block; }
table.glance .cell .pct { font-size:12px; color:var(--muted); font-weight:400; }
table.glance td.better { background:var(--better-bg); } table.glance td.better .pct {
  color:var(--better); font-weight:600; }
table.glance td.worse { background:var(--worse-bg); } table.glance td.worse .pct {
  color:var(--worse); font-weight:600; }
table.glance td.changed { background:var(--changed-bg); }
table.glance td.better .v, table.glance td.worse .v, table.glance td.changed .v {
  color:var(--text); font-weight:500; }
.cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(440px, 1fr)); gap:16px;
  align-items:start; }
.card { border:1px solid var(--line); border-radius:10px; padding:4px 18px 16px; min-width:0; }
.card h3 { margin-top:14px; } .card p { font-size:14px; }
.source { color:var(--muted); }
pre { background:#0f172a; color:#e2e8f0; padding:12px 14px; border-radius:8px; overflow-x:auto;
  white-space:pre-wrap; overflow-wrap:anywhere; margin:10px 0 0; line-height:1.45; }
section.scenario { margin-top:30px; } section.scenario h3 { font-size:18px; }
.summary { display:flex; gap:8px; align-items:center; flex-wrap:wrap; font-size:13px; }
.pill { padding:1px 10px; border-radius:999px; font-size:12.5px; }
.pill.better { background:var(--better-bg); } .pill.worse { background:var(--worse-bg); }
details { margin:12px 0 0; } summary { cursor:pointer; color:var(--accent); font-size:14px; }
figure.chart { margin:0 0 30px; } figure.chart h3 { margin-bottom:2px; }
figure.chart .plotly-graph-div { margin-top:6px; }
footer { margin-top:48px; padding-top:14px; border-top:1px solid var(--line);
  color:var(--muted); font-size:12.5px; }
@media (max-width:700px) { main { padding:24px 18px; margin:0; border-radius:0; } }
@media print { html { background:#fff; } main { box-shadow:none; margin:0; max-width:none; }
  nav, summary { display:none; } details { display:block; } tr, figure { break-inside:avoid; } }
"""
