"""``l2c target`` on the terminal: goal seeks, the sensitivity table, the combination.

Presentation only: every number comes from ``scenarios.target``'s report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from rich import box
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

from scenarios.target import COSTS, Catalogue, Combination, SeekResult, TargetReport, TornadoRow
from scenarios.target.confidence import Sureness
from scenarios.target.control import why_not
from scenarios.target.evaluate import Evaluation
from scenarios.target.goal import stat_name
from scenarios.target.run import COMBINATION
from ui import report_format as fmt
from ui import target_text
from ui.render_business_case import print_business_case
from ui.target_text import KeptTarget

BAR_WIDTH = 20


def _value(report: TargetReport, value: float | None) -> str:
    return fmt.value_text(report.target.unit, value, compact=True)


def _diff(unit: str, value: float | None) -> str:
    """A signed difference: days, or percentage points for shares."""
    if value is None or not math.isfinite(value):
        return "–"
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    if unit == "share":
        return f"{sign}{abs(value) * 100:.1f} pp"
    return sign + fmt.value_text(unit, abs(value), compact=True)


def _interval(low: str, high: str) -> str:
    return f"[dim][{low} … {high}][/]"


def _pct(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:+.1%}"


def cost_text(report: TargetReport, value: float) -> str:
    """'1,250 EUR/month' given costs, else '3' (effort units)."""
    money = report.money
    if money is None:
        return f"{value:g}"
    return f"{value:,.0f} {money.currency or ''}/month".replace(" /", "/")


def sureness_text(report: TargetReport, evaluation: Evaluation) -> str:
    """How sure the answer is, and the replications that would make it sure."""
    found = report.sureness(evaluation)
    sure, more = found.confidence, found.more_replications
    if sure is None:
        return ""
    text = (f"Confidence: {sure:.0%} that the {report.label} is beyond the target "
            f"({evaluation.replications} replications).")
    if more is not None:
        text += (f" To make it sure, run about {more} replications: the same command with "
                 f"--reps {more} (the ones run so far are reused).")
    return text + precision_text(report, found)


def precision_text(report: TargetReport, found: Sureness) -> str:
    """The precision the answer reached against the target, and whether it is decided."""
    precision, threshold = found.precision, found.threshold
    if precision is None or threshold is None:
        return ""
    unit = report.target.unit
    verdict = ("decided" if found.decided
               else "not decided: more replications would narrow it")
    return (f" Precision reached: ±{_diff(unit, precision).lstrip('+-±')} from the target "
            f"(threshold {_diff(unit, threshold).lstrip('+-±')}; {verdict}).")


def print_header(console: Console, report: TargetReport) -> None:
    target = report.target
    stat = stat_name(target.stat, target.unit)
    console.print(f"[bold]Target:[/] {escape(report.label)}"
                  f"{'' if stat == 'value' else f', {stat}'}: "
                  f"{_value(report, target.baseline)} → {_value(report, target.level)} "
                  f"({target.change:+.0%})", highlight=False)
    console.print(f"[dim]{escape(replications_text(report))}[/]", highlight=False)


def replications_text(report: TargetReport) -> str:
    """How many replications the answer took, and by which rule."""
    if not report.adaptive:
        return (f"simulated baseline and changes with the same {report.replications} "
                f"replications (seed {report.seed}, common random numbers); "
                f"{report.evaluations} settings simulated")
    return (f"simulated baseline ({report.replications} replications) and changes with the "
            f"same seed ({report.seed}, common random numbers), each setting until its "
            f"question is decided at the KPI's threshold, at most {report.replications}; "
            f"{report.evaluations} settings, {report.replications_run} replications in all")


def _verdict(reached: bool, confident: bool) -> str:
    if confident:
        return "[green]yes, with confidence[/]"
    return "[yellow]on average only[/]" if reached else "[red]no[/]"


def print_seeks(console: Console, report: TargetReport) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="Smallest change that reaches the target",
                  title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("lever", "left"), ("smallest change", "left"), ("KPI [95% CI]", "right"),
        ("vs baseline [95% CI]", "right"), ("reached", "left"), ("cost", "right"))
    for column, justify in columns:
        table.add_column(column, justify=justify,
                         no_wrap=column.endswith("CI]"))
    for seek in report.seeks:
        table.add_row(*_seek_cells(report, seek))
    console.print(table)
    for seek in report.seeks:
        console.print(_seek_sentence(report, seek), highlight=False)
        if seek.reachable:
            console.print(f"  [dim]{escape(sureness_text(report, seek.evaluation))}[/]",
                          highlight=False)
        if seek.lever.id in report.cases:
            print_business_case(console, report.cases[seek.lever.id])


def _seek_cells(report: TargetReport, seek: SeekResult) -> list[str]:
    ev = seek.evaluation
    low, high = ev.interval
    d_low, d_high = ev.diff_interval
    unit = report.target.unit
    kpi = f"{_value(report, ev.mean)} {_interval(_value(report, low), _value(report, high))}"
    diff = (f"{_diff(unit, ev.diff)} ({_pct(ev.pct_change)}) "
            f"{_interval(_diff(unit, d_low), _diff(unit, d_high))}")
    if not seek.reachable:
        return [escape(seek.lever.label), f"[red]cannot reach[/] (tried "
                f"{seek.lever.describe(seek.lever.maximum)})", kpi, diff, "[red]no[/]", "–"]
    return [escape(seek.lever.label), seek.change_label, kpi, diff,
            _verdict(seek.reached, seek.confident),
            cost_text(report, report.cost_of(((seek.lever, seek.amount or 0.0),),
                                             seek.evaluation))]


def _seek_sentence(report: TargetReport, seek: SeekResult) -> str:
    label = escape(seek.lever.label)
    if not seek.reachable:
        return (f"• {label}: [red]cannot reach[/]: at most {_pct(seek.best_change)} with this "
                f"lever ({seek.lever.describe(seek.lever.maximum)}, the most it can be "
                "turned).")
    if seek.amount == 0:
        return f"• {label}: the baseline already meets the target."
    how = ("with confidence (the whole 95% interval is beyond the target)" if seek.confident
           else "on average, but the 95% interval still reaches past the target")
    return (f"• {label}: {seek.change_label} reaches {_value(report, seek.evaluation.mean)} "
            f"({_pct(seek.best_change)}), {how}.")


def _bar(effect: float | None, largest: float, helps: bool) -> str:
    if effect is None or largest <= 0:
        return ""
    width = round(BAR_WIDTH * abs(effect) / largest)
    return f"[{'green' if helps else 'red'}]{'█' * width}[/]"


def print_tornado(console: Console, report: TargetReport) -> None:
    rows: list[TornadoRow] = report.rows
    table = Table(box=box.SIMPLE_HEAD, title="Sensitivity: each lever alone at its standard "
                  "step, largest effect first", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("#", "right"), ("lever", "left"), ("step", "left"), ("KPI", "right"),
        ("effect [95% CI]", "right"), ("reps", "right"), ("", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify,
                         no_wrap=column.endswith("CI]"))
    largest = max((abs(r.effect) for r in rows if r.effect is not None), default=0.0)
    unit = report.target.unit
    for number, row in enumerate(rows, start=1):
        low, high = row.evaluation.diff_interval
        effect = (f"{_diff(unit, row.effect)} ({_pct(row.evaluation.pct_change)}) "
                  f"{_interval(_diff(unit, low), _diff(unit, high))}")
        table.add_row(str(number), escape(row.lever.label), row.lever.describe(row.amount),
                      _value(report, row.evaluation.mean), effect,
                      str(row.evaluation.replications),
                      _bar(row.effect, largest, report.target.helps(row.effect)))
    console.print(table)
    if report.outside:
        names = ", ".join(escape(lv.label) for lv in report.outside)
        console.print(f"[dim]Not simulated, they act outside this KPI's span: {names}.[/]",
                      highlight=False)
    if report.uncontrolled:
        names = ", ".join(f"{escape(lv.label)} ({why_not(lv.kind)})"
                          for lv in report.uncontrolled)
        console.print(f"[dim]Not levers here: {names}. Offer one with --controllable ID.[/]",
                      highlight=False)


def print_combination(console: Console, report: TargetReport) -> None:
    combination: Combination | None = report.combination
    if combination is None:
        return
    ev = combination.evaluation
    low, high = ev.interval
    result = (f"{_value(report, ev.mean)} ({_pct(ev.pct_change)}) "
              f"{_interval(_value(report, low), _value(report, high))}")
    if not combination.settings:
        console.print("[red]No lever moves the KPI towards the target[/], so no combination "
                      "can reach it.", highlight=False)
        return
    if not combination.reachable:
        console.print(f"[bold red]Cannot reach {report.target.change:+.0%}[/] even with every "
                      f"helpful lever at its extreme: at most {_pct(ev.pct_change)} "
                      f"({result}).", highlight=False)
        return
    total = cost_text(report, report.cost_of(combination.settings, ev))
    unit = "" if report.money is not None else " cost units"
    console.print(f"[bold]Cheapest combination found[/] (greedy, {total}{unit}):",
                  highlight=False)
    for lever, amount in combination.settings:
        console.print(f"  • {escape(lever.label)}: {lever.describe(amount)} "
                      f"[dim]({cost_text(report, lever.cost(amount, report.pricing))}"
                      f"{unit})[/]", highlight=False)
    console.print(f"  → {result}: target reached "
                  f"{_verdict(combination.reached, combination.confident)}", highlight=False)
    console.print(f"  [dim]{escape(sureness_text(report, ev))}[/]", highlight=False)
    if COMBINATION in report.cases:
        print_business_case(console, report.cases[COMBINATION])
    if report.money is not None and report.money.unpriced(combination.settings):
        console.print(f"[dim]No fixed cost given for: "
                      f"{escape(', '.join(report.money.unpriced(combination.settings)))} "
                      "(add one under 'levers:' in the costs file).[/]", highlight=False)
    console.print(f"[dim]{escape(report.pricing.describe())}[/]", highlight=False)


def print_target(console: Console, report: TargetReport) -> None:
    """The whole answer: header, then goal seeks or the tornado and the combination."""
    print_header(console, report)
    if report.seeks:
        print_seeks(console, report)
    else:
        print_tornado(console, report)
        print_combination(console, report)


def print_levers(console: Console, catalogue: Catalogue) -> None:
    """The levers a model offers (``--list-levers``), with what was left out and why."""
    table = Table(box=box.SIMPLE_HEAD, title="Levers (use the id with --lever)",
                  title_justify="left")
    for column in ("id", "lever", "range", "standard step", "cost of step", "yours"):
        table.add_column(column, no_wrap=column == "id")
    for lever in catalogue.levers:
        extent = ("off or on" if lever.kind == "automate"
                  else f"up to {lever.describe(lever.maximum)}")
        table.add_row(escape(lever.id), escape(lever.label), extent,
                      lever.describe(lever.step), f"{lever.cost(lever.step):g}",
                      "yes" if lever.controllable else f"[dim]no: {why_not(lever.kind)}[/]")
    console.print(table)
    theirs = [lever for lever in catalogue.levers if not lever.controllable]
    if theirs:
        names = ", ".join(f"{escape(lv.label)} ({why_not(lv.kind)})" for lv in theirs)
        console.print(f"[dim]Not yours by default, so left out of a target's answer: {names}. "
                      "Offer one with --controllable ID.[/]", highlight=False)
    for note in catalogue.skipped:
        console.print(f"[dim]left out: {escape(note)}[/]", highlight=False)
    console.print(f"[dim]{COSTS.describe()}[/]", highlight=False)


def print_saved_target(console: Console, target: Mapping[str, object]) -> None:
    """A saved answer as it was given: the goal, the answer, the mix, the business case."""
    kept = KeptTarget.of(target)
    console.print(f"[bold]Target:[/] {escape(kept.goal_text())}", highlight=False)
    table = Table(box=box.SIMPLE_HEAD, title="Answer", title_justify="left")
    for column in ("answer", "setting", "KPI [95% CI]", "reached", "confidence", "cost"):
        table.add_column(column, no_wrap=column.endswith("CI]"))
    unit = kept.unit
    for answer in kept.answers:
        kpi = (f"{fmt.value_text(unit, answer.value, compact=True)} "
               + _interval(fmt.value_text(unit, answer.ci_low, compact=True),
                           fmt.value_text(unit, answer.ci_high, compact=True)))
        sure = answer.confidence
        table.add_row(escape(answer.title), escape(answer.setting), kpi, answer.verdict,
                      "–" if sure is None else f"{sure:.0%}",
                      target_text.cost_text(answer.cost, answer.cost_unit))
    console.print(table)
    for answer in kept.answers:
        if answer.more_replications is not None:
            console.print(f"[dim]{escape(answer.title)}: about {answer.more_replications} "
                          "replications would make it sure.[/]", highlight=False)
    if kept.left_out:
        console.print(f"[dim]Not levers here: {escape(', '.join(kept.left_out))}.[/]",
                      highlight=False)
    for _, case in kept.cases():
        print_business_case(console, case)
