"""Scenarios: build a what-if with sliders and toggles, or open one from the library; see
its YAML; save it for the Compare page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from scenarios import apply_scenario, library, load_scenario, parse_scenario
from scenarios.applies import why_not
from scenarios.form import ScenarioForm, file_name, form_from_scenario, scenario_yaml
from scenarios.segment import segments_of
from sim.errors import PlannerError
from sim.model import END, ProcessModel
from ui.app import cache, named, nav, state, wording
from ui.app.i18n import counted, t
from ui.app.safety import guarded
from ui.report_ja import DESCRIPTIONS_JA, SCENARIOS_JA

FORM = "scenario_form"  # the scenario the controls start from
PREFIX = "sc."  # every control's key starts with this
NEW = ""
OPENED = "scenario_opened"  # how many scenarios were opened in this session
LIBRARY_WORDS = "scenario_library_words"  # the opened library scenario's English name, text


@dataclass(frozen=True)
class Choice:
    """A scenario file the user can open or compare: its name and where it comes from."""

    name: str
    path: Path
    mine: bool


def choices(fitted: state.LoadedModel | None = None) -> list[Choice]:
    """The library's scenarios (those that apply to the model, when one is given), then the
    user's saved ones (unreadable files are skipped: opening them shows why)."""
    found = [Choice(_name(p), p, False) for p in library()
             if fitted is None or _why_not(fitted.key, fitted.model_json, str(p)) is None]
    folder = state.scenario_dir()
    if folder.is_dir():
        found += [Choice(_name(p), p, True) for p in sorted(folder.glob("*.yaml"))]
    return found


def not_applying(fitted: state.LoadedModel) -> list[tuple[str, str]]:
    """The library's scenarios that do not apply to the model, each with why."""
    return [(_name(p), why) for p in library()
            if (why := _why_not(fitted.key, fitted.model_json, str(p))) is not None]


@st.cache_data(max_entries=256, show_spinner=False)
def _why_not(model_key: str, _model_json: str, path: str) -> str | None:
    return why_not(cache.model_of(_model_json), Path(path))


def show_not_applying(fitted: state.LoadedModel) -> None:
    """Under a list of scenarios: the library's that this model cannot take, and why."""
    left_out = not_applying(fitted)
    if left_out:
        with st.expander(counted("sc.not_applying", len(left_out)), icon=":material/block:"):
            for name, why in left_out:  # plain text: names come from the data
                st.text(f"{named.scenario(name)}: {wording.why_not_applying(why)}")


def _name(path: Path) -> str:
    try:
        return _scenario_name(str(path), path.stat().st_mtime)
    except (PlannerError, OSError):
        return path.stem


@st.cache_data(max_entries=256, show_spinner=False)
def _scenario_name(path: str, mtime: float) -> str:
    return load_scenario(path).name


def choice_label(choice: Choice) -> str:
    if choice.mine:
        return f"{choice.name} · {t('sc.mine')}"
    return f"{named.scenario(choice.name)} · {t('sc.library')}"


def render() -> None:
    st.title(t("sc.title"))
    st.caption(t("sc.intro"))
    fitted = state.model()
    if fitted is None:
        st.info(t("sc.need_model"))
        nav.link("data")
        return
    model = cache.model_of(fitted.model_json)
    _opener(model, fitted)
    form = st.session_state.get(FORM) or ScenarioForm(name=t("sc.default_name"))
    edited = _controls(model, form)
    text = scenario_yaml(edited, model)
    st.subheader(t("sc.yaml"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.code(text, language="yaml", wrap_lines=True)
    with right:
        lines = summary(edited, model)
        if lines:
            st.markdown(f"**{t('sc.summary')}**\n" + "\n".join(f"- {line}" for line in lines))
        ok = _check(model, text)
        _save(edited, text, ok)


def _opener(model: ProcessModel, fitted: state.LoadedModel) -> None:
    options = choices(fitted)
    labels = {NEW: t("sc.new")} | {str(c.path): choice_label(c) for c in options}
    cells = st.columns([4, 1], vertical_alignment="bottom")
    with cells[0]:
        picked = st.selectbox(t("sc.start_from"), list(labels),
                              format_func=labels.__getitem__,
                              key="sc_open_choice")
    with cells[1]:
        clicked = st.button(t("sc.open"), icon=":material/folder_open:", key="sc_open")
    if clicked:
        with guarded("open scenario"):
            form = (ScenarioForm(name=t("sc.default_name")) if picked == NEW
                    else form_from_scenario(load_scenario(picked), model))
            library = any(str(c.path) == picked and not c.mine for c in options)
            st.session_state[LIBRARY_WORDS] = (form.name, form.description) if library \
                else None
            state.forget(PREFIX)
            st.session_state[FORM] = form
            st.session_state[OPENED] = st.session_state.get(OPENED, 0) + 1
            st.rerun()
    show_not_applying(fitted)


def _signed(percent: float) -> str:
    return f"{percent:+.0f}%".replace("-", "−")


def summary(form: ScenarioForm, model: ProcessModel) -> list[str]:
    """What the scenario changes, one line per change, in words."""
    lines = []
    for activity, error_rate in form.automate.items():
        lines.append(t("sc.line_automate", activity=activity) + (
            " " + t("sc.line_errors", share=f"{error_rate:.0%}") if error_rate else ""))
    for activity, factor in form.work.items():
        if abs(factor - 1) > 1e-9 and activity not in form.automate:
            lines.append(t("sc.line_work", activity=activity, change=_signed((factor - 1) * 100)))
    for activity, factor in form.delay.items():
        if abs(factor - 1) > 1e-9 and activity not in form.automate:
            lines.append(t("sc.line_wait", activity=activity, change=_signed((factor - 1) * 100)))
    for pool, size in form.pools.items():
        if pool in model.pools and model.pools[pool].size != size:
            lines.append(t("sc.line_pool", pool=pool, old=model.pools[pool].size, new=size))
    for (source, target), share in form.routing.items():
        branch = model.routing.branches.get(source)
        old = branch.pooled.get(target, 0.0) if branch else 0.0
        if abs(old - share) >= 0.0006:
            lines.append(t("sc.line_route", source=source,
                           target=t("model.end") if target == END else target,
                           old=f"{old:.1%}", new=f"{share:.1%}"))
    if abs(form.volume - 1) > 1e-9:
        lines.append(t("sc.line_volume", change=_signed((form.volume - 1) * 100)))
    if form.payment_days:
        key = "sc.line_pay_sooner" if form.payment_days < 0 else "sc.line_pay_later"
        lines.append(t(key, days=f"{abs(form.payment_days):g}"))
    if form.other:
        lines.append(counted("sc.line_other", len(form.other)))
    if form.segment and lines:
        attribute, value = next(iter(form.segment.items()))
        lines.insert(0, t("sc.line_segment", attribute=attribute, value=value))
    return lines


def _percent(factor: float) -> int:
    return round((factor - 1.0) * 100)


def _library_words() -> None:
    """A library scenario's name and description in the page's language, as long as the
    user has not written their own: opened in one language and read in the other, the
    fields (and the file saved from them) follow the page."""
    opened = st.session_state.get(LIBRARY_WORDS)
    if opened is None:
        return
    name, text = opened
    for key, english, japanese, shown in (
            ("sc.name", name, SCENARIOS_JA.get(name, name), named.scenario(name)),
            ("sc.desc", text, DESCRIPTIONS_JA.get(name, text), named.description(name, text))):
        shadow = f"_kept.{key}"
        now = st.session_state.get(key, st.session_state.get(shadow, english))  # as opened
        if now != shown and now in (english, japanese):
            st.session_state[shadow] = shown
            st.session_state.pop(key, None)


def _controls(model: ProcessModel, form: ScenarioForm) -> ScenarioForm:
    """The controls, seeded from ``form``; returns the form as the controls now say."""
    _library_words()
    edited = ScenarioForm(other=list(form.other))
    cells = st.columns([2, 3])
    with cells[0]:
        edited.name = state.kept(st.text_input, t("sc.name"), key="sc.name", default=form.name)
    with cells[1]:
        edited.description = state.kept(st.text_area, t("sc.description"), key="sc.desc",
                                        default=form.description, height=68)
    edited.segment = _segment(model, form)
    names = [t("sc.tab_times"), t("sc.tab_automation"), t("sc.tab_people"),
             t("sc.tab_routing"), t("sc.tab_volume")]
    used = [bool(form.work or form.delay), bool(form.automate), bool(form.pools),
            bool(form.routing), form.volume != 1.0 or bool(form.payment_days)]
    opened = st.session_state.get(OPENED, 0)  # a new key per opening: the default applies
    tabs = st.tabs(names, default=next((n for n, u in zip(names, used, strict=True) if u),
                                       names[0]), key=f"sc_tabs_{opened}")
    with tabs[0]:
        _times(model, form, edited)
    with tabs[1]:
        _automation(model, form, edited)
    with tabs[2]:
        _people(model, form, edited)
    with tabs[3]:
        _routing(model, form, edited)
    with tabs[4]:
        _volume(form, edited)
    if form.other:
        st.caption(counted("sc.other", len(form.other)))
    return edited


def _segment(model: ProcessModel, form: ScenarioForm) -> dict[str, str]:
    """Which cases the changes below are for: every case, or those with one value of a
    case attribute ("only small deals")."""
    found = segments_of(model)
    if not found:
        return {}
    every = t("sc.segment_all")
    attribute, value = next(iter(form.segment.items()), (every, None))
    cells = st.columns(2)
    with cells[0]:
        picked = state.kept(st.selectbox, t("sc.segment_attribute"), key="sc.seg_attribute",
                            default=attribute if attribute in found else every,
                            options=[every, *found], help=t("sc.segment_help"),
                            format_func=lambda a: a if a == every else named.attribute(a))
    if picked == every:
        return {}
    values = found[str(picked)]
    with cells[1]:
        chosen = state.kept(st.selectbox, t("sc.segment_value"),
                            key=f"sc.seg_value.{picked}",
                            default=value if value in values else values[0], options=values,
                            format_func=lambda v: named.attribute_value(str(picked), v))
    return {str(picked): str(chosen)}


def _times(model: ProcessModel, form: ScenarioForm, edited: ScenarioForm) -> None:
    st.caption(t("sc.times_help"))
    names = sorted(model.activities, key=lambda a: -model.activities[a].count)
    default = [a for a in names if a in form.work or a in form.delay]
    picked = state.kept(st.multiselect, t("sc.pick_activities"), key="sc.acts",
                        default=default, options=names, placeholder=t("sc.pick_placeholder"))
    for activity in picked:
        staffed = model.activities[activity].processing is not None
        st.markdown(f"**{activity}**")
        cells = st.columns(2)
        with cells[0]:
            if staffed:
                work = state.kept(st.slider, t("sc.work_change"), key=f"sc.work.{activity}",
                                  default=_percent(form.work.get(activity, 1.0)),
                                  min_value=-90, max_value=200, step=5, format="%+d%%")
                edited.work[activity] = 1.0 + work / 100
            else:
                st.caption(t("sc.no_work"))
        with cells[1]:
            wait = state.kept(st.slider, t("sc.wait_change"), key=f"sc.wait.{activity}",
                              default=_percent(form.delay.get(activity, 1.0)),
                              min_value=-90, max_value=200, step=5, format="%+d%%")
            edited.delay[activity] = 1.0 + wait / 100


def _automation(model: ProcessModel, form: ScenarioForm, edited: ScenarioForm) -> None:
    st.caption(t("sc.automation_help"))
    staffed = [a for a, act in model.activities.items() if act.processing is not None]
    staffed.sort(key=lambda a: -model.activities[a].count)
    for activity in staffed:
        cells = st.columns([2, 3], vertical_alignment="center")
        with cells[0]:
            on = state.kept(st.toggle, activity, key=f"sc.auto.{activity}",
                            default=activity in form.automate)
        if on:
            with cells[1]:
                errors = state.kept(st.slider, t("sc.error_rate"), key=f"sc.err.{activity}",
                                    default=round(form.automate.get(activity, 0.0) * 100),
                                    min_value=0, max_value=30, step=1, format="%d%%")
            edited.automate[activity] = errors / 100


def _people(model: ProcessModel, form: ScenarioForm, edited: ScenarioForm) -> None:
    st.caption(t("sc.people_help"))
    cells = st.columns(max(len(model.pools), 1))
    for cell, (name, pool) in zip(cells, model.pools.items(), strict=False):
        with cell:
            size = state.kept(st.number_input, name, key=f"sc.pool.{name}",
                              default=int(form.pools.get(name, pool.size)), min_value=1,
                              max_value=500, step=1,
                              help=t("sc.pool_help", size=pool.size,
                                     calendar=named.calendar(pool.calendar)))
            edited.pools[name] = int(size)


def _routing(model: ProcessModel, form: ScenarioForm, edited: ScenarioForm) -> None:
    st.caption(t("sc.routing_help"))
    sources = [name for name, branch in model.routing.branches.items()
               if len(branch.pooled) > 1]
    if not sources:
        st.caption(t("sc.no_branches"))
        return
    edited.routing.update(form.routing)
    for source in sources:  # shares set earlier for another activity stay in the scenario
        for target in model.routing.branches[source].pooled:
            key = f"sc.route.{source}>{target}"
            value = st.session_state.get(key, st.session_state.get(f"_kept.{key}"))
            if value is not None:
                edited.routing[(source, target)] = value / 100
    chosen = state.kept(st.selectbox, t("sc.after"), key="sc.route_from",
                        default=next((s for s, _ in form.routing), sources[0]),
                        options=sources)
    if chosen is None:  # a select box with options always has one chosen
        return
    branch = model.routing.branches[chosen]
    for target, share in sorted(branch.pooled.items(), key=lambda kv: -kv[1]):
        label = t("sc.to", target=t("model.end") if target == END else target)
        value = state.kept(st.slider, label, key=f"sc.route.{chosen}>{target}",
                           default=round(form.routing.get((chosen, target), share) * 100, 1),
                           min_value=0.0, max_value=100.0, step=0.1, format="%.1f%%",
                           help=t("sc.today", share=f"{share:.1%}"))
        edited.routing[(chosen, target)] = value / 100


def _volume(form: ScenarioForm, edited: ScenarioForm) -> None:
    cells = st.columns(2)
    with cells[0]:
        volume = state.kept(st.slider, t("sc.volume"), key="sc.volume",
                            default=_percent(form.volume), min_value=-50, max_value=200,
                            step=5, format="%+d%%", help=t("sc.volume_help"))
        edited.volume = 1.0 + volume / 100
    with cells[1]:
        edited.payment_days = float(state.kept(
            st.slider, t("sc.payment"), key="sc.payment", default=round(form.payment_days),
            min_value=-30, max_value=30, step=1, format="%+d", help=t("sc.payment_help")))


def _check(model: ProcessModel, text: str) -> bool:
    """Read the YAML back like a file and apply it to the model: the same checks as
    ``l2c compare``, shown before anything is saved."""
    try:
        scenario = parse_scenario(text, "this scenario")
        _, notes = apply_scenario(model, scenario)
    except PlannerError as error:
        st.error(wording.for_app(str(error)), icon=":material/error:")
        return False
    if not scenario.changes:
        st.info(t("sc.no_changes", times=t("sc.tab_times"), automation=t("sc.tab_automation"),
                  people=t("sc.tab_people")), icon=":material/info:")
        return False
    st.success(counted("sc.valid", len(scenario.changes)), icon=":material/check_circle:")
    for note in notes:
        st.info(wording.for_app(named.note(note)))
    return True


def _save(form: ScenarioForm, text: str, ok: bool) -> None:
    target = state.scenario_dir() / file_name(form.name)
    exists = target.is_file()
    overwrite = True
    if exists:
        overwrite = st.checkbox(t("sc.overwrite", name=target.name), key="sc_overwrite")
    if st.button(t("sc.save"), type="primary", icon=":material/save:", key="sc_save",
                 disabled=not ok or not overwrite):
        with guarded("save scenario"):
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".yaml.tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)
            st.success(t("sc.saved", name=form.name),
                       icon=":material/check_circle:")
            nav.link("compare", t("sc.go_compare"))
    st.caption(t("sc.where"))
