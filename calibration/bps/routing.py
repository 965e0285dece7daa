"""The BPMN graph walked into our routing: what follows each activity, with what probability.

Our routing goes from activity to activity. From the start event and from each activity the
walk follows the sequence flows through gateways until it reaches activities (tasks,
intermediate events, end events that carry an outcome) or the end, multiplying the branching
probabilities of the exclusive gateways on the way; paths that meet again add up. Loops
through gateways are fine as long as they pass an activity.

Parallel work is supported in its common shape: a split (a parallel gateway, or a task or the
start event with several outgoing flows) into branches of one activity each (or none), which
all meet at one parallel (or inclusive) join. The first branch's activity becomes the *lead*
and the others its companions (``routing.parallel``); they start together, and when all are
done the case goes on from the lead's branch, which is what follows the join. Anything else
(nested blocks, several activities in a branch, branches that meet at different joins) is
refused with the gateway's name. An inclusive join merges the one path that reaches it.
"""

from __future__ import annotations

from calibration.bps.bpmn import Node, ProcessGraph
from sim.errors import PlannerError
from sim.model import END, Branch, Routing

SUM_TOLERANCE = 0.01  # probabilities summing to 1 within this are rescaled, else refused
SHAPE = ("the supported shape is a split into branches of one task (or event) each that all "
         "meet at one parallel join")


def branch_probabilities(graph: ProcessGraph, given: dict[str, list[tuple[str, float | None]]],
                         source: str, notes: list[str]) -> dict[str, dict[str, float]]:
    """Checked probabilities per outgoing flow of every exclusive split, summing to 1."""
    result: dict[str, dict[str, float]] = {}
    for node in graph.of_kind("xor"):
        if len(node.outgoing) > 1:
            result[node.id] = _gateway(node, given.get(node.id), graph, source, notes)
    extra = [g for g in given if g not in result]
    if extra:
        notes.append(f"Branching probabilities for elements that are not exclusive splits of "
                     f"the diagram were ignored: {', '.join(extra)}.")
    return result


def _gateway(node: Node, options: list[tuple[str, float | None]] | None, graph: ProcessGraph,
             source: str, notes: list[str]) -> dict[str, float]:
    where = f"{source}: gateway_branching_probabilities for {node.describe()}"
    if not options:
        raise PlannerError(f"{where} are missing; it splits into {len(node.outgoing)} flows "
                           f"({', '.join(node.outgoing)}), so give each its probability.")
    for flow, value in options:
        if flow not in node.outgoing:
            raise PlannerError(f"{where} name flow '{flow}', which does not leave that gateway "
                               f"(its outgoing flows: {', '.join(node.outgoing)}).")
        if value is not None and not 0 <= value <= 1:
            raise PlannerError(f"{where}: flow '{flow}' has probability {value:g}; "
                               "probabilities are between 0 and 1.")
    known = sum(v for _, v in options if v is not None)
    unset = [f for f, v in options if v is None]
    probabilities = {f: (v if v is not None else max(1 - known, 0) / len(unset))
                     for f, v in options}
    if unset:
        notes.append(f"{where}: flows without a value ({', '.join(unset)}) share the rest of "
                     "the probability, as in Prosimos.")
    total = sum(probabilities.values())
    if abs(total - 1) > SUM_TOLERANCE:
        listed = ", ".join(f"{f}={p:g}" for f, p in probabilities.items())
        raise PlannerError(f"{where} sum to {total:.4g}, not 1 ({listed}); make them add up "
                           "to 1.")
    missing = [f for f in node.outgoing if f not in probabilities]
    if missing:
        notes.append(f"{where} leave out flow(s) {', '.join(missing)} (to "
                     f"{', '.join(graph.target(f).name for f in missing)}): never taken.")
    return {f: probabilities.get(f, 0.0) / total for f in node.outgoing}


class RoutingBuilder:
    """Walks the graph once; ``names`` maps the nodes that are activities to their names."""

    def __init__(self, graph: ProcessGraph, probabilities: dict[str, dict[str, float]],
                 names: dict[str, str], source: str) -> None:
        self.graph = graph
        self.probabilities = probabilities
        self.names = names
        self.source = source
        self.branches: dict[str, dict[str, float]] = {}
        self.parallel: dict[str, tuple[str, ...]] = {}
        self._blocks: dict[str, str] = {}  # split node id -> its lead activity

    def build(self, notes: list[str]) -> Routing:
        start = self._leave(self.graph.nodes[self.graph.start])
        waiting = []
        for node_id, name in self.names.items():
            node = self.graph.nodes[node_id]
            if node.kind == "end":
                self.branches[name] = {END: 1.0}
            elif self._ends_in_parallel_join(node):
                waiting.append(node)
            elif not node.outgoing:
                notes.append(f"{node.describe()} has no outgoing flow: cases end after it.")
                self.branches[name] = {END: 1.0}
            else:  # an inclusive join merges a single path, and ends a block as its lead's
                self.branches.setdefault(name, self._leave(node))
        self._check_blocks(waiting, start, notes)
        companions = {c for members in self.parallel.values() for c in members}
        ordered = [n for n in self.names.values() if n in self.branches and n not in companions]
        return Routing(start=_final(start),
                       branches={n: Branch(pooled=_final(self.branches[n])) for n in ordered},
                       parallel=self.parallel)

    def _check_blocks(self, waiting: list[Node], start: dict[str, float],
                      notes: list[str]) -> None:
        in_blocks = {self.names[n] for n in self._block_members()}
        targets = set(start) | {t for b in self.branches.values() for t in b}
        for node in waiting:
            name = self.names[node.id]
            if name in in_blocks:
                continue
            if name in targets:
                join = self._skip(node.outgoing[0])
                raise PlannerError(f"{self.source}: {node.describe()} leads into "
                                   f"{join.describe()} outside a parallel block; {SHAPE}.")
            notes.append(f"{node.describe()} cannot be reached from the start event.")

    def _block_members(self) -> list[str]:
        members = []
        for split_id in self._blocks:
            for flow in self.graph.nodes[split_id].outgoing:
                node = self._skip(flow)
                if node.id in self.names:
                    members.append(node.id)
        return members

    def _leave(self, node: Node) -> dict[str, float]:
        """Where a case goes after ``node`` (the start event or an activity)."""
        if len(node.outgoing) > 1:
            return self._split(node)
        if not node.outgoing:
            return {END: 1.0}
        return self._follow(node.outgoing[0], 1.0, ())

    def _follow(self, flow: str, p: float, seen: tuple[str, ...]) -> dict[str, float]:
        node = self.graph.target(flow)
        if node.id in self.names:
            return {self.names[node.id]: p}
        if node.kind == "end":
            return {END: p}
        if node.id in seen:
            raise PlannerError(f"{self.source}: the flow loops through {node.describe()} "
                               "without passing a task; a loop needs at least one task.")
        seen = (*seen, node.id)
        if not node.outgoing:
            raise PlannerError(f"{self.source}: {node.describe()} has no outgoing flow.")
        if node.kind == "and":  # an inclusive join ("or") merges the one path reaching it
            if len(node.incoming) > 1:
                raise PlannerError(f"{self.source}: {node.describe()} joins branches that did "
                                   f"not start at one parallel split; {SHAPE}.")
            if len(node.outgoing) > 1:
                return {k: p * v for k, v in self._split(node).items()}
        if len(node.outgoing) == 1:
            return self._follow(node.outgoing[0], p, seen)
        out: dict[str, float] = {}
        for next_flow, q in self.probabilities[node.id].items():
            for target, share in self._follow(next_flow, p * q, seen).items():
                out[target] = out.get(target, 0.0) + share
        return out

    def _skip(self, flow: str) -> Node:
        """The first node along ``flow`` that is not a one-in, one-out gateway."""
        node = self.graph.target(flow)
        seen = set()
        while (node.kind in ("xor", "and") and len(node.incoming) == 1
               and len(node.outgoing) == 1 and node.id not in seen):
            seen.add(node.id)
            node = self.graph.target(node.outgoing[0])
        return node

    def _ends_in_parallel_join(self, node: Node) -> bool:
        """Whether ``node`` is a branch of a block closed by a parallel gateway."""
        return len(node.outgoing) == 1 and _is_join(self._skip(node.outgoing[0]), ("and",))

    def _split(self, split: Node) -> dict[str, float]:
        """A parallel block from ``split``: {lead: 1}, with the lead's branch and companions."""
        if split.id in self._blocks:
            return {self._blocks[split.id]: 1.0}
        members: list[str] = []
        join: Node | None = None
        for flow in split.outgoing:
            node = self._skip(flow)
            end = node
            if node.id in self.names and node.kind != "end":
                if len(node.incoming) != 1 or len(node.outgoing) != 1:
                    raise self._shape(split, f"{node.describe()} has more than one flow in or "
                                             "out")
                members.append(self.names[node.id])
                end = self._skip(node.outgoing[0])
            if not _is_join(end, ("and", "or")):
                raise self._shape(split, f"the branch through flow '{flow}' reaches "
                                         f"{end.describe()} instead of a parallel join")
            if join is not None and end.id != join.id:
                raise self._shape(split, f"branches meet at {join.describe()} and at "
                                         f"{end.describe()}")
            join = end
        assert join is not None
        if len(join.incoming) != len(split.outgoing):
            raise self._shape(split, f"{join.describe()} joins {len(join.incoming)} flows but "
                                     f"the split starts {len(split.outgoing)}")
        if not members:
            return self._leave(join)
        lead = members[0]
        self._blocks[split.id] = lead
        if len(members) > 1:
            self.parallel[lead] = tuple(members[1:])
        self.branches[lead] = self._leave(join)  # what follows the join
        return {lead: 1.0}

    def _shape(self, split: Node, problem: str) -> PlannerError:
        return PlannerError(f"{self.source}: the parallel split at {split.describe()} is not "
                            f"supported: {problem}; {SHAPE}.")


def _is_join(node: Node, kinds: tuple[str, ...]) -> bool:
    return node.kind in kinds and len(node.incoming) > 1


def _final(probabilities: dict[str, float]) -> dict[str, float]:
    """Without the impossible targets, rescaled to sum to exactly 1."""
    kept = {k: v for k, v in probabilities.items() if v > 0}
    total = sum(kept.values())
    return {k: v / total for k, v in kept.items()}
