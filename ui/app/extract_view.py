"""The extraction report on the Data page: what became of every row of the CRM's tables.

Shown before the validation report, because it answers the question that comes first
(did the tables become the cases they should?): a headline of rows, cases and events, a
warning when links broke or times were approximated, and in an expander the tables read,
the links, the events by type and every row left out with its reason and examples. The
reasons and warnings are the extraction's own sentences (they name tables, columns and
rows as the export does); the frame around them is in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

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
    st.markdown(f"**{t('extract.tables')}**")
    st.dataframe(pd.DataFrame(
        [{t("extract.table"): name, t("extract.file"): table["file"],
          t("extract.rows"): table["rows"], t("extract.used"): table["used"],
          t("extract.left_out_column"): table["rows"] - table["used"]}
         for name, table in report["tables"].items()]), hide_index=True)
    if report["links"]:
        st.markdown(f"**{t('extract.links')}**")
        st.dataframe(pd.DataFrame(
            [{t("extract.link"): name, t("extract.resolved"): link["resolved"],
              t("extract.broken_column"): link["broken"],
              t("extract.examples"): "; ".join(link["examples"])}
             for name, link in report["links"].items()]), hide_index=True)
    total = f"{report['events_total']:,}"
    st.markdown(f"**{t('extract.events', n=total)}**")
    st.dataframe(pd.DataFrame({t("extract.activity"): list(report["events"]),
                               t("extract.count"): list(report["events"].values())}),
                 hide_index=True)
    for key in ("approximated", "undated", "events_left_out"):
        if report[key]:
            st.markdown(f"**{t(f'extract.{key}_title')}**")
            st.dataframe(pd.DataFrame({t("extract.what"): list(report[key]),
                                       t("extract.count"): list(report[key].values())}),
                         hide_index=True)
    reasons = [{t("extract.table"): name, t("extract.rows"): part["rows"],
                t("extract.reason"): reason, t("extract.examples"): ", ".join(part["examples"])}
               for name, table in report["tables"].items()
               for reason, part in table["left_out"].items()]
    if reasons:
        st.markdown(f"**{t('extract.rows_left_out')}**")
        st.dataframe(pd.DataFrame(reasons), hide_index=True)
    for warning in report["warnings"]:
        st.warning(warning)
