"""The extraction report on the Data page: what became of every row of the CRM's tables.

Shown before the validation report, because it answers the question that comes first
(did the tables become the cases they should?): a headline of rows, cases and events, a
warning when links broke or times were approximated, and in an expander the tables read,
the links, the events by type and every row left out with its reason and examples. The
reasons and warnings are the extraction's own sentences (they name tables, columns and
rows as the export does) and are worded in the page's language by ``extract_words``; the
export's own names stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui.app.extract_words import link, sentence
from ui.app.i18n import LABELS, counted, t


def render(report: Mapping[str, Any]) -> None:
    """The report of the extraction that produced the log in use."""
    st.subheader(t("extract.title", source=report["source"]))
    forms = [t(f"extract.form.{form}") if f"extract.form.{form}" in LABELS else form
             for form in str(report["form"]).split(", ")]
    st.caption(t("extract.form", form=", ".join(forms)))
    broken = sum(link["broken"] for link in report["links"].values())
    approximated = sum(report["approximated"].values())
    left_out = int(report["rows_left_out"]) + sum(report["events_left_out"].values())
    headline = t("extract.headline", tables=len(report["tables"]),
                 rows=f"{report['rows_read']:,}", cases=f"{report['cases']:,}",
                 lead_only=f"{report['lead_only_cases']:,}",
                 events=f"{report['events_total']:,}")
    problems = [_counted(key, n) for key, n in (("extract.broken", broken),
                                                ("extract.left_out", left_out)) if n]
    if problems:
        st.warning(" ".join([headline, *problems]), icon=":material/link_off:")
    else:
        st.success(headline, icon=":material/table_view:")
    if approximated:
        st.info(_counted("extract.approximated", approximated), icon=":material/schedule:")
    with st.expander(t("extract.details"), icon=":material/fact_check:"):
        _details(report)


def _counted(key: str, n: int) -> str:
    return counted(key, n, count=f"{n:,}")


def _details(report: Mapping[str, Any]) -> None:
    _table(t("extract.tables"), [
        {t("extract.table"): name, t("extract.file"): table["file"],
         t("extract.rows"): table["rows"], t("extract.used"): table["used"],
         t("extract.left_out_column"): table["rows"] - table["used"]}
        for name, table in report["tables"].items()])
    _table(t("extract.links"), [
        {t("extract.link"): link(name), t("extract.resolved"): count["resolved"],
         t("extract.broken_column"): count["broken"],
         t("extract.examples"): "; ".join(map(sentence, count["examples"]))}
        for name, count in report["links"].items()])
    _table(t("extract.events", n=f"{report['events_total']:,}"),
           [{t("extract.activity"): name, t("extract.count"): n}
            for name, n in report["events"].items()])  # the activities, named as in the log
    for key in ("approximated", "undated", "events_left_out"):
        _table(t(f"extract.{key}_title"), [{t("extract.what"): sentence(name),
                                            t("extract.count"): n}
                                           for name, n in report[key].items()])
    _table(t("extract.rows_left_out"), [
        {t("extract.table"): name, t("extract.rows"): part["rows"],
         t("extract.reason"): sentence(reason),
         t("extract.examples"): ", ".join(part["examples"])}
        for name, table in report["tables"].items()
        for reason, part in table["left_out"].items()])
    for warning in report["warnings"]:
        st.warning(sentence(warning))


def _table(title: str, rows: list[dict[str, object]]) -> None:
    """A titled table of the report (none when it has no rows), counts with separators."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    st.markdown(f"**{title}**")
    st.dataframe(frame, hide_index=True, column_config={
        column: st.column_config.NumberColumn(format="localized")
        for column in frame.columns if pd.api.types.is_integer_dtype(frame[column])})
