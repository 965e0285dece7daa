"""Names the planner itself gave in English (library scenarios, the baseline, a scenario's
manual-fix step, the model's name, dates, calendars, distributions) in the chosen language.

Names that came from the user's data or the user's own scenarios are shown as they are;
only the planner's own words change with the language.
"""

from __future__ import annotations

from scenarios.changes import FIX_SUFFIX
from sim.calendar import CalendarWords, WeekCalendar
from sim.chart_data import Charts, MemberCharts, renamed
from sim.distributions import Distribution, DistributionWords
from sim.kpis.groups import DEAL_SIZE, DEAL_SIZE_BANDS
from sim.study import BASELINE
from ui import report_format as fmt
from ui import report_ja
from ui.app.i18n import FAMILIES_JA, day_names, language, t
from ui.report_ja import BASELINE_JA, FIX_JA
from ui.scenario_words import name_ja, note_ja, yaml_ja


def _ja() -> bool:
    return language() == "ja"


def scenario(name: str) -> str:
    """A study member's name: the baseline, the library's scenarios and the scenario a
    backtest derived from the log translated."""
    if not _ja():
        return name
    return BASELINE_JA if name == BASELINE else name_ja(name)


def scenario_yaml(text: str, source: str = "") -> tuple[str, bool]:
    """A scenario's YAML as the page shows it, and whether the planner wrote it: the
    library's and a derived one in the chosen language, a user's file as written (on a
    Japanese page the caller says so; False)."""
    if not _ja():
        return text, True
    return yaml_ja(text, source)


def note(text: str) -> str:
    """A note applying a scenario left, in the chosen language."""
    return note_ja(text) if _ja() else text


def description(name: str, text: str) -> str:
    """A library scenario's description (``name`` is its English name) in the chosen
    language: opened on a Japanese page, the form and the file saved from it read as the
    page does."""
    return report_ja.DESCRIPTIONS_JA.get(name, text) if _ja() else text


def activity(name: str) -> str:
    """An activity as a scenario may have added it ('Invoice Generated (manual fix)')."""
    if _ja() and name.endswith(FIX_SUFFIX):
        return name.removesuffix(FIX_SUFFIX) + FIX_JA
    return name


def members(charts: Charts) -> dict[str, MemberCharts]:
    """Chart data keyed by the names a reader of this language sees (members, and the
    activities a scenario added)."""
    return renamed(charts, scenario, activity)


def attribute(name: str) -> str:
    """A case attribute as the data names it; the deal size band in the page's language."""
    return t("seg.deal_size") if name == DEAL_SIZE else name


def attribute_value(name: str, value: str) -> str:
    """A value of a case attribute as the data has it; the planner's own deal size bands
    (small, medium, large) in the page's language."""
    return t(f"seg.band.{value}") if name == DEAL_SIZE and value in DEAL_SIZE_BANDS else value


def model(name: str) -> str:
    return report_ja.model_name(name) if _ja() else name


def when(created: str) -> str:
    """A saved moment: '1 March 2025, 10:00 UTC', or '2025年3月1日 10:00 UTC'."""
    return report_ja.when(created) if _ja() else fmt.when(created)


def calendar(week: WeekCalendar) -> str:
    """A pool's working hours in the chosen language ('Mon-Fri 08:00-18:00; now and then
    Sat 09:00-12:00', '月-金 08:00-18:00。時々 土 09:00-12:00')."""
    return week.describe(CalendarWords(day_names(), t("cal.with_rare"), t("cal.only_rare")))


def distribution(duration: Distribution) -> str:
    """A fitted duration in the chosen language ('gamma, median 2.1 h, P90 5.9 h'), its
    words and units from the keyed labels."""
    return duration.describe(DistributionWords(
        language(), {kind: t(f"dist.kind.{kind}") for kind in FAMILIES_JA},
        t("dist.summary"), t("dist.fixed"), t("dist.zero"), t("dist.cap"),
        t("dist.separator")))
