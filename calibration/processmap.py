"""The process map of a log: activities, the transitions between them, how often each
happens and how long cases wait on it, drawn as a Graphviz graph.

A transition a -> b is counted once per time a case does b right after a; its waiting time
is from the end of a to the start of b. The map keeps the busiest transitions (a share the
user picks) so a real log's spaghetti stays readable; every activity stays on the map.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from sim.duration_text import days_text
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from sim.process_map import END as END_NODE
from sim.process_map import START as START_NODE
from sim.process_map import follows_edges


def transitions(log: EventLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(activities: activity, count, cases), (transitions: source, target, count,
    median_wait_days), start and end of cases as the nodes START_NODE and END_NODE."""
    events = log.events.sort_values([CASE_ID, START, END], kind="stable")
    case = events[CASE_ID].to_numpy()
    activity = events[ACTIVITY].astype(str).to_numpy()
    starts = pd.to_datetime(events[START]).to_numpy()
    ends = pd.to_datetime(events[END]).to_numpy()
    origin, day = (starts.min() if len(starts) else np.datetime64(0, "s")), np.timedelta64(1, "D")
    edges = follows_edges(case, activity, (starts - origin) / day, (ends - origin) / day).rename(
        columns={"median": "median_wait_days"})
    nodes = (events.groupby(ACTIVITY, sort=False)
             .agg(count=(CASE_ID, "size"), cases=(CASE_ID, "nunique")).reset_index())
    nodes[ACTIVITY] = nodes[ACTIVITY].astype(str)
    nodes = nodes.sort_values("count", ascending=False, ignore_index=True)
    edges = edges.sort_values("count", ascending=False, ignore_index=True)
    return nodes, edges


def busiest(edges: pd.DataFrame, share: float) -> pd.DataFrame:
    """The most frequent transitions that together make up ``share`` of all transitions,
    plus each activity's most frequent way in and way out, so no activity floats alone."""
    if edges.empty:
        return edges
    ordered = edges.sort_values("count", ascending=False)
    cumulative = ordered["count"].cumsum() / ordered["count"].sum()
    keep = cumulative.shift(fill_value=0.0) < share
    strongest_in = ordered.groupby("target")["count"].idxmax()
    strongest_out = ordered.groupby("source")["count"].idxmax()
    keep.loc[strongest_in.to_numpy()] = True
    keep.loc[strongest_out.to_numpy()] = True
    return ordered[keep]


def display_width(text: str) -> int:
    """Columns a text takes: East Asian wide characters (Japanese) count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wait_text(days: float, lang: str = "en") -> str:
    """A median wait on an arrow (``days_text``), or nothing when there is none."""
    return days_text(days, lang) if np.isfinite(days) else ""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(nodes: pd.DataFrame, edges: pd.DataFrame, start_label: str = "start",
           end_label: str = "end", count_word: str = "cases",
           lang: str = "en") -> str:
    """Graphviz source: boxes with activity and count, arrows with count and median wait.

    Box widths come from the label's display width, so Japanese names are not clipped
    whatever font metrics the renderer assumes.
    """
    biggest = max(int(nodes["count"].max()) if len(nodes) else 1, 1)
    strongest = max(int(edges["count"].max()) if len(edges) else 1, 1)
    font = "Noto Sans CJK JP, Hiragino Sans, Meiryo, Helvetica, Arial, sans-serif"
    lines = ["digraph process {",
             f'  graph [rankdir=TB, nodesep=0.35, ranksep=0.45, fontname={_quote(font)}];',
             f'  node [shape=box, style="rounded,filled", fontname={_quote(font)}, '
             'fontsize=11, color="#5b6b7f", penwidth=1.2];',
             f'  edge [fontname={_quote(font)}, fontsize=9, color="#7a8899", '
             'fontcolor="#37465a", arrowsize=0.6];',
             f'  {START_NODE} [label={_quote(start_label)}, shape=circle, width=0.5, '
             'fixedsize=true, fillcolor="#d8f0dc", color="#3c8d50", fontsize=9];',
             f'  {END_NODE} [label={_quote(end_label)}, shape=doublecircle, width=0.45, '
             'fixedsize=true, fillcolor="#f6dada", color="#b04a4a", fontsize=9];']
    for row in nodes.itertuples(index=False):
        name, count = str(getattr(row, ACTIVITY)), int(row.count)
        shade = 0.25 + 0.75 * count / biggest
        fill = _blend("#ffffff", "#9ec5e8", shade)
        width = max(1.6, 0.085 * display_width(name) + 0.3)
        lines.append(f"  {_quote(name)} [label=\"{_escape_label(name)}\\n{count:,}\", "
                     f'fillcolor="{fill}", width={width:.2f}];')
    known = set(nodes[ACTIVITY].astype(str)) | {START_NODE, END_NODE}
    for row in edges.itertuples(index=False):
        source, target = str(row.source), str(row.target)
        if source not in known or target not in known:
            continue
        count = int(row.count)
        width = 0.6 + 4.0 * count / strongest
        text = f"{count:,}"
        wait = wait_text(float(row.median_wait_days), lang)
        if wait:
            text += f" · {wait}"
        src = source if source in (START_NODE, END_NODE) else _quote(source)
        dst = target if target in (START_NODE, END_NODE) else _quote(target)
        lines.append(f"  {src} -> {dst} [label={_quote(' ' + text + ' ')}, "
                     f"penwidth={width:.2f}, tooltip={_quote(f'{count:,} {count_word}')}];")
    lines.append("}")
    return "\n".join(line for line in lines if line)


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _blend(low: str, high: str, share: float) -> str:
    a = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x + (y - x) * min(max(share, 0.0), 1.0)) for x, y in zip(a, b, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)
