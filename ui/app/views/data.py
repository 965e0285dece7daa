"""Data: upload an export (or take the sample), check the column mapping, read the
validation report, see what is in the log and its process map, then learn the model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from calibration import limits, processmap
from calibration.fit.calibrate import ALL as WHOLE_LOG
from calibration.fit.calibrate import AUTO as CURRENT_PROCESS
from calibration.roles import detect_roles
from calibration.sample import sample_path
from calibration.schema import LIFECYCLE, ROLES
from sim.eventlog import ACTIVITY, START
from sim.kpi_roles import ROLES as ROLES_OF_KPIS
from sim.kpis.custom import CustomKpi, parse_custom_kpis
from sim.materiality import count_of
from ui.app import (
    cache,
    crm_tables,
    extract_view,
    isolated,
    map_filters,
    memory,
    nav,
    report_words,
    state,
    uploader_words,
    uploads,
    wording,
)
from ui.app.i18n import counted, language, role_name, t
from ui.app.safety import guarded
from ui.app.state import LoadedData, LoadedModel, ReadOptions
from ui.summary_part import part

UPLOAD_TYPES = ["csv", "tsv", "txt", "gz", "xlsx", "xlsm", "xes", "xml", "parquet"]
AUTO = ""
UPLOAD_SEEN = "data.upload_seen"
TABLES_SEEN = "data.tables_seen"  # the CRM and the uploaded tables already extracted
TABLES_BOX = "data_tables"
PLACE = "data.learn"  # where the calibration's message is shown
KPIS_SEEN = "data.kpis_seen"  # the KPI file upload already read
KPIS_PLACE = "data.kpis"  # where the KPI file's message is shown
KPI_EXAMPLE = """kpis:
  - id: approval_to_contract
    name: Approval to contract
    from: quote_approved    # a lead-to-cash role or an activity
    to: Contract Signed
    statistic: median       # median, mean or p90
    per: case               # case: first to first; occurrence: each to the next
"""


def render() -> None:
    st.title(t("data.title"))
    st.caption(t("data.intro"))
    _sources()
    loaded = state.data()
    if loaded is None:
        st.info(t("data.nothing_yet", sample=t("data.use_sample")), icon=":material/start:")
        return
    extraction = crm_tables.report_of(loaded)
    if extraction is not None:
        extract_view.render(extraction)
    _report(loaded)
    _mapping(loaded)
    if loaded.result.log is None:
        return
    _roles(loaded)
    _own_kpis(loaded)
    _calibrate(loaded)
    _overview(loaded)


def _sources() -> None:
    left, right = st.columns([3, 2], gap="large")
    with left:
        uploader_words.style(UPLOAD_TYPES)
        upload = st.file_uploader(t("data.upload"), type=UPLOAD_TYPES, key="data.upload",
                                  help=t("data.upload_help", **_limits()))
        if upload is None:
            _upload_in_use()
        _crm_tables()
    with right:
        st.markdown(f"**{t('data.or')}**")
        if st.button(t("data.use_sample"), icon=":material/science:", key="data.sample"):
            with st.spinner(t("data.reading")), guarded("sample"):
                load_sample()
        st.markdown(f"**{t('data.template')}**")
        columns = st.columns(2)
        columns[0].download_button(t("data.template_xlsx"), cache.template_bytes(".xlsx"),
                                   file_name="l2c_template.xlsx", icon=":material/download:",
                                   mime="application/vnd.openxmlformats-officedocument."
                                        "spreadsheetml.sheet", key="data.template_xlsx")
        columns[1].download_button(t("data.template_csv"), cache.template_bytes(".csv"),
                                   file_name="l2c_template.csv", mime="text/csv",
                                   icon=":material/download:", key="data.template_csv")
    if upload is not None and st.session_state.get(UPLOAD_SEEN) != upload.file_id:
        st.session_state[UPLOAD_SEEN] = upload.file_id
        with st.spinner(t("data.reading")), guarded("upload"):
            path, digest = uploads.keep(upload.getvalue(), upload.name)
            state.set_data(cache.load(path, digest, upload.name, ReadOptions()))
        memory.release()  # the bytes of the upload, and the data it replaced


def _crm_tables() -> None:
    """The CRM's own tables, several files or a zip, become the log as 'l2c extract' does."""
    crms = {crm: t(f"data.crm.{crm}") for crm in crm_tables.CRMS}
    with st.container(key=TABLES_BOX):
        uploader_words.style(crm_tables.TYPES, scope=f".st-key-{TABLES_BOX}")
        files = st.file_uploader(t("data.tables"), type=crm_tables.TYPES,
                                 accept_multiple_files=True, key="data.tables",
                                 help=t("data.tables_help"))
        loaded = state.data()
        if not files and loaded is not None and crm_tables.report_of(loaded) is not None:
            st.caption(t("data.tables_in_use", name=loaded.name))
        crm = state.kept(st.radio, t("data.crm"), key="data.crm", default=crm_tables.CRMS[0],
                         options=list(crms), format_func=crms.__getitem__, horizontal=True)
    seen = (crm, tuple(f.file_id for f in files))
    if files and st.session_state.get(TABLES_SEEN) != seen:
        st.session_state[TABLES_SEEN] = seen
        with st.spinner(t("data.extracting")), guarded("tables"):
            state.set_data(crm_tables.load(list(files), str(crm)))
        memory.release()


def _upload_in_use() -> None:
    """Streamlit empties the uploader when the user comes back from another page (it forgets
    a widget that was not drawn, and a file cannot be put back into one: its ``persist_state``
    keeps other widgets' values, not an uploader's); the uploaded file is still in use, so
    the place where the user looks for it says so."""
    loaded = state.data()
    if (loaded is not None and uploads.holds(loaded.path)
            and crm_tables.report_of(loaded) is None):
        st.caption(t("data.upload_in_use", name=loaded.name))


def _limits() -> dict[str, str]:
    """The input limits in force, for the upload's help text."""
    return {"rows": f"{limits.ROWS.value():,}", "cell": f"{limits.CELL_CHARS.value():,}",
            "name": f"{limits.NAME_CHARS.value():,}", "seconds": f"{isolated.SECONDS.value():,}",
            "memory": f"{isolated.MEMORY_MB.value():,}"}


def load_sample() -> None:
    """Use the bundled Dynamics-365-style sample log."""
    path = sample_path("d365")
    state.set_data(cache.load(path, cache.sample_digest(), path.name, ReadOptions()))


def _report(loaded: LoadedData) -> None:
    summary = loaded.summary
    st.subheader(t("data.file", name=loaded.name))
    details = [str(summary.get("format") or ""), str(summary.get("encoding") or "")]
    if summary.get("delimiter"):
        details.append(t("data.delimiter", delimiter=repr(summary["delimiter"])))
    st.caption(" · ".join(d for d in details if d) + " · "
               + t("data.rows", rows=f"{count_of(summary.get('rows')):,}"))
    findings = loaded.result.report.findings
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level == "warning"]
    notes = [f for f in findings if f.level == "note"]
    if errors:
        st.error(t("data.cannot_use"), icon=":material/block:")
        for finding in errors:
            st.error(report_words.text(finding))
    elif warnings:
        st.warning(counted("data.usable_with_warnings", len(warnings)), icon=":material/warning:")
    else:
        st.success(t("data.clean"), icon=":material/check_circle:")
    if warnings or notes:
        with st.expander(t("data.report", warnings=counted("data.warnings", len(warnings)),
                           notes=counted("data.notes", len(notes))),
                         expanded=False):
            for finding in warnings:
                st.warning(report_words.text(finding))
            for finding in notes:
                st.info(report_words.text(finding))


def _mapping(loaded: LoadedData) -> None:
    """Every role with the column the reader chose, editable; read again on submit."""
    mapping = loaded.result.mapping
    columns = loaded.columns
    broken = loaded.result.log is None
    with st.expander(t("data.mapping"), expanded=broken, icon=":material/view_column:"):
        if not columns:
            st.caption(t("data.no_columns"))
            return
        st.caption(t("data.mapping_help"))
        with st.form("data.mapping_form", border=False):
            chosen: dict[str, str] = {}
            roles = [r for r in ROLES if r.name != LIFECYCLE]
            grid = st.columns(3)
            auto = t("data.auto")  # labels are fixed now: a format_func may run outside the run
            for number, role in enumerate(roles):
                choices = [AUTO, *columns]
                current = mapping.get(role.name, AUTO)
                label = t(f"role.{role.name}") + (" *" if role.required else "")
                chosen[role.name] = grid[number % 3].selectbox(
                    label, choices, index=choices.index(current) if current in choices else 0,
                    format_func=lambda c: auto if c == AUTO else c,
                    key=f"data.map.{loaded.digest[:8]}.{role.name}",
                    help=t(f"meaning.{role.name}"))
            sheet, date_format = loaded.options.sheet, loaded.options.date_format
            extra = st.columns(3)
            if loaded.sheets:
                sheet = extra[0].selectbox(t("data.sheet"), loaded.sheets,
                                           index=loaded.sheets.index(sheet)
                                           if sheet in loaded.sheets else 0)
            date_format = extra[1].text_input(t("data.date_format"), value=date_format or "",
                                              placeholder="%d/%m/%Y %H:%M",
                                              help=t("data.date_format_help")) or None
            submitted = st.form_submit_button(t("data.read_again"), type="primary",
                                              icon=":material/refresh:", key="data.read_again")
        if submitted:
            overrides = {role: column for role, column in chosen.items()
                         if column != AUTO and mapping.get(role) != column}
            kept = {role: column for role, column in chosen.items() if column != AUTO}
            twice = pd.Series(kept).value_counts()
            if (twice > 1).any():
                st.error(t("data.column_twice", columns=", ".join(twice[twice > 1].index)))
                return
            options = ReadOptions(tuple(sorted({**dict(loaded.options.mapping),
                                                **overrides}.items())), sheet, date_format)
            with st.spinner(t("data.reading")), guarded("re-read"):
                state.set_data(cache.load(loaded.path, loaded.digest, loaded.name, options))
                st.rerun()


def _roles(loaded: LoadedData) -> None:
    """Which activity plays which lead-to-cash role, editable; read again on submit."""
    log = loaded.result.log
    assert log is not None
    found = detect_roles(log, loaded.options.mapped_roles())
    activities = sorted(str(a) for a in log.events[ACTIVITY].dropna().unique())
    chosen_now = {m.role: m.activity for m in found.matches}
    with st.expander(t("data.roles"), expanded=bool(found.guessed),
                     icon=":material/account_tree:"):
        st.caption(t("data.roles_help"))
        for match in found.guessed:
            st.caption(t("data.role_guess", activity=match.activity, role=role_name(match.role),
                         like=match.like, share=f"{match.confidence:.0%}"))
        with st.form("data.roles_form", border=False):
            grid = st.columns(3)
            none = t("data.role_none")
            chosen: dict[str, str] = {}
            for number, role in enumerate(ROLES_OF_KPIS):
                choices = [AUTO, *activities]
                current = chosen_now.get(role, AUTO)
                chosen[role] = grid[number % 3].selectbox(
                    role_name(role), choices, index=choices.index(current),
                    format_func=lambda a: none if a == AUTO else a,
                    key=f"data.role.{loaded.digest[:8]}.{role}")
            submitted = st.form_submit_button(t("data.roles_apply"), key="data.roles_apply")
        if submitted and chosen != {r: chosen_now.get(r, AUTO) for r in ROLES_OF_KPIS}:
            options = replace(loaded.options, activity_roles=tuple(
                (role, activity) for role, activity in chosen.items()))
            with st.spinner(t("data.reading")), guarded("roles"):
                state.set_data(cache.load(loaded.path, loaded.digest, loaded.name, options))
                st.rerun()


def _own_kpis(loaded: LoadedData) -> None:
    """Your own KPIs from a YAML file: measured on the data, kept in the model, compared."""
    options = loaded.options
    with st.expander(t("data.kpis"), expanded=bool(options.own_kpis), icon=":material/straighten:"):
        st.caption(t("data.kpis_help"))
        st.code(KPI_EXAMPLE, language="yaml")
        just = state.take_flash(KPIS_PLACE)
        if just:
            st.success(just[1], icon=":material/check_circle:")
        if options.own_kpis:
            st.markdown(t("data.kpis_in_use", file=options.kpi_file))
            st.markdown("\n".join(
                f"- **{k.name}**: {t('data.kpi_span', start=k.start, end=k.end)}, "
                f"{t(f'targets.stat_{k.statistic}')}, {t(f'data.kpi_per_{k.per}')}"
                for k in options.own_kpis))
            if st.button(t("data.kpis_remove"), key="data.kpis_remove",
                         icon=":material/delete:"):
                with guarded("own KPIs"):
                    _use_own_kpis(loaded, (), "")
        upload = st.file_uploader(t("data.kpis_upload"), type=["yaml", "yml"],
                                  key="data.kpis_upload")
        if upload is not None and st.session_state.get(KPIS_SEEN) != upload.file_id:
            st.session_state[KPIS_SEEN] = upload.file_id
            with guarded("own KPIs"):
                text = upload.getvalue().decode("utf-8", errors="replace")
                _use_own_kpis(loaded, parse_custom_kpis(text, upload.name), upload.name)


def _use_own_kpis(loaded: LoadedData, kpis: tuple[CustomKpi, ...], name: str) -> None:
    """Read the data with these KPIs; a model learned from it keeps its fit and takes them
    (they change what is measured, not what is learned)."""
    fitted = state.model()
    options = replace(loaded.options, own_kpis=kpis, kpi_file=name)
    data = cache.load(loaded.path, loaded.digest, loaded.name, options)
    state.set_data(data)
    if fitted is not None and fitted.data_key == loaded.key:
        model = cache.model_of(fitted.model_json).model_copy(update={"kpis": kpis})
        state.set_model(replace(fitted, model_json=model.to_json(), data_key=data.key))
    state.flash("success", t("data.kpis_used", n=len(kpis)) if kpis
                else t("data.kpis_removed"), KPIS_PLACE)
    st.rerun()


def _overview(loaded: LoadedData) -> None:
    summary = loaded.summary
    log = loaded.result.log
    assert log is not None
    period = part(summary, "period", dict)
    activities = part(summary, "activities", dict)
    st.subheader(t("data.overview"))
    cells = st.columns(5)
    cells[0].metric(t("data.cases"), f"{summary['cases']:,}")
    cells[1].metric(t("data.events"), f"{summary['events']:,}")
    cells[2].metric(t("data.activities"), f"{len(activities):,}")
    cells[3].metric(t("data.open_cases"), f"{summary.get('open_cases', 0):,}")
    cells[4].metric(t("data.resources"), f"{summary.get('resources', 0):,}")
    st.caption(t("data.period", start=str(period["start"])[:10], end=str(period["end"])[:10],
                 timestamps=t("data.single") if part(summary, "timestamps", str).startswith(
                     "single") else t("data.start_end")))
    sales = wording.is_sales(log.cases)
    tabs = st.tabs([t("data.map"), t("data.variants"), t("data.activity_counts"),
                    t("data.attributes_sales") if sales else t("data.attributes")])
    with tabs[0]:
        _process_map(loaded)
    with tabs[1]:
        variants = pd.DataFrame([{"share": v["share"], "cases": v["cases"],
                                  "path": " → ".join(v["activities"])}
                                 for v in part(summary, "top_variants", list)])
        st.dataframe(variants, hide_index=True, column_config={
            "share": st.column_config.ProgressColumn(t("data.share"), format="percent",
                                                     min_value=0.0, max_value=1.0),
            "cases": st.column_config.NumberColumn(t("data.cases"), format="localized"),
            "path": st.column_config.TextColumn(t("data.path"), width="large")})
    with tabs[2]:
        counts = pd.DataFrame({"activity": list(activities),
                               "events": list(activities.values())})
        st.dataframe(counts, hide_index=True, column_config={
            "activity": t("data.activity"),
            "events": st.column_config.ProgressColumn(
                t("data.events"), format="%d", min_value=0,
                max_value=int(counts["events"].max()) if len(counts) else 1)})
    with tabs[3]:
        attributes = pd.DataFrame([{"attribute": name, "distinct": info["distinct"],
                                    "missing": info["missing"],
                                    "examples": ", ".join(info["examples"])}
                                   for name, info in part(summary, "case_attributes",
                                                          dict).items()])
        st.dataframe(attributes, hide_index=True, column_config={
            "attribute": t("data.attribute"), "distinct": t("data.distinct"),
            "missing": t("data.missing"), "examples": t("data.examples")})


def _process_map(loaded: LoadedData) -> None:
    log = loaded.result.log
    assert log is not None
    choice = map_filters.controls(log)
    if choice.filtered:
        log = map_filters.part(log, choice)
        if log.events.empty:
            st.info(t("data.map_none"))
            return
    share = state.kept(st.slider, t("data.map_detail"), key="data.map_share", default=90,
                       min_value=50, max_value=100, step=5, format="%d%%",
                       help=t("data.map_detail_help"))
    if choice.view == map_filters.PERFORMANCE:
        map_filters.performance(log, share / 100)
        return
    nodes, edges = cache.transitions(f"{loaded.key}:{choice.key}", log)
    shown = processmap.busiest(edges, share / 100)
    st.caption(t("data.map_caption", shown=len(shown), total=len(edges)))
    dot = processmap.to_dot(nodes, shown, t("data.map_start"), t("data.map_end"),
                            t("data.cases_word"), language())
    st.graphviz_chart(dot)


def _calibrate(loaded: LoadedData) -> None:
    st.subheader(t("data.learn"))
    since = _learn_from(loaded)
    tune = state.kept(st.toggle, t("data.tune"), key="data.tune", default=False,
                      help=t("data.tune_help"))
    fitted = state.model()
    if (fitted is not None and fitted.data_key == loaded.key and fitted.since == since
            and fitted.tune == tune):
        just = state.take_flash(PLACE)  # said here, where the button was: nothing moves
        st.success(just[1] if just else t("data.model_ready"), icon=":material/check_circle:")
        nav.link("model", t("data.see_model"))
        return
    st.caption(t("data.learn_help"))
    calibrate_button(loaded, since, PLACE, tune=tune)


def _learn_from(loaded: LoadedData) -> str:
    """Which cases to learn from, as ``CalibrationOptions.since`` takes it."""
    choices = {CURRENT_PROCESS: t("data.learn_auto"), WHOLE_LOG: t("data.learn_all"),
               "since": t("data.learn_since")}
    choice = state.kept(st.radio, t("data.learn_from"), key="data.learn_from",
                        default=CURRENT_PROCESS,
                        options=list(choices), format_func=choices.__getitem__,
                        horizontal=True, help=t("data.learn_from_help"))
    if choice != "since":
        return str(choice)
    log = loaded.result.log
    assert log is not None
    starts = log.events[START]
    first, last = starts.min().date(), starts.max().date()
    date = state.kept(st.date_input, t("data.learn_since_date"), key="data.learn_since_date",
                      default=first + (last - first) / 2, min_value=first, max_value=last)
    return date.isoformat()


def calibrate_button(loaded: LoadedData, since: str = CURRENT_PROCESS,
                     place: str = "", tune: bool = False) -> None:
    """Learn the model from the loaded log (cached by the data's key; ``tune``: its
    structure chosen on the log), then rerun and say so at ``place``."""
    if st.button(t("data.calibrate"), type="primary", icon=":material/model_training:",
                 key="data.calibrate"):
        log = loaded.result.log
        assert log is not None
        with (st.spinner(t("data.calibrating_tuned" if tune else "data.calibrating")),
              guarded("calibration")):
            model_json, notes = cache.calibrated(loaded.key, log, str(Path(loaded.path)),
                                                 since, tune)
            state.set_model(LoadedModel(model_json, notes, loaded.key, since, tune))
            state.flash("success", t("data.calibrated"), place)
            st.rerun()
