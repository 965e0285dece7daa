"""The BPMN diagram as a graph of flow nodes joined by sequence flows.

Only what Prosimos simulates is read: the flow nodes that are direct children of the process
and the sequence flows between them. Tasks of every BPMN kind (user, service, manual, ...)
are tasks, as Simod writes them. Elements that change control flow in ways our routing cannot
express (inclusive and event-based gateways, sub-processes, boundary events, ...) are refused
by name; decoration (lanes, annotations, data objects, diagram layout) is ignored.

Like Prosimos, a task or start event with several outgoing flows starts them all (an implicit
parallel split), and several flows into a task or end event merge (whichever arrives).
Inclusive gateways are read only as joins (Split Miner, which Simod uses, draws many): an
inclusive join waits for the branches that are running, so it merges one path like an
exclusive join and closes a parallel block like a parallel join. Inclusive splits are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from sim.errors import PlannerError

NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TASK_TAGS = ("task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
             "sendTask", "receiveTask")
KINDS = {**dict.fromkeys(TASK_TAGS, "task"), "startEvent": "start", "endEvent": "end",
         "exclusiveGateway": "xor", "parallelGateway": "and", "inclusiveGateway": "or",
         "intermediateCatchEvent": "event"}
SUPPORTED = ("tasks, exclusive and parallel gateways, inclusive joins, one start event, end "
             "events and intermediate catch events")
OR_SPLIT = "an inclusive (OR) split takes any number of its branches at once"
UNSUPPORTED = {
    "eventBasedGateway": "an event-based gateway races events against each other",
    "complexGateway": "a complex gateway has its own activation rules",
    "subProcess": "sub-processes are not expanded; draw their content in the main process",
    "adHocSubProcess": "ad-hoc sub-processes have no fixed order",
    "transaction": "transactions are sub-processes with compensation",
    "callActivity": "call activities refer to another process",
    "boundaryEvent": "boundary events interrupt or fork a running task",
    "intermediateThrowEvent": "throw events send signals or messages to other processes",
}
IGNORED = {"extensionElements", "documentation", "laneSet", "textAnnotation", "association",
           "dataObject", "dataObjectReference", "dataStoreReference", "property", "group",
           "ioSpecification", "sequenceFlow", "dataInputAssociation", "dataOutputAssociation"}


@dataclass
class Node:
    """A flow node; ``name`` is its label (its id when the label is empty)."""

    id: str
    kind: str  # task, start, end, xor, and, or (inclusive join), event
    tag: str  # the BPMN element name, for messages
    name: str
    incoming: list[str] = field(default_factory=list)  # sequence flow ids
    outgoing: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """``parallelGateway 'Join' (id Gateway_1)``, for messages."""
        label = f"{self.tag} '{self.name}'"
        return label if self.name == self.id else f"{label} (id {self.id})"


@dataclass(frozen=True)
class Flow:
    id: str
    source: str
    target: str


@dataclass
class ProcessGraph:
    """Nodes and flows of the one process, in document order."""

    nodes: dict[str, Node]
    flows: dict[str, Flow]
    start: str
    ignored: dict[str, str]  # id -> tag of the unknown elements that were skipped

    def target(self, flow_id: str) -> Node:
        return self.nodes[self.flows[flow_id].target]

    def of_kind(self, *kinds: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind in kinds]


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def parse_graph(root: Element, source: str) -> ProcessGraph:
    """The graph of the BPMN file's process (``source`` names the file in messages)."""
    ns, local = _local(root.tag)
    if (ns, local) != (NS, "definitions"):
        raise PlannerError(f"{source}: is not a BPMN 2.0 model (root element <{local}> in "
                           f"namespace '{ns or 'none'}'; expected <definitions> in {NS}).")
    processes = [p for p in root.findall(f"{{{NS}}}process")
                 if any(_local(c.tag)[1] in KINDS for c in p)]
    if not processes:
        raise PlannerError(f"{source}: has no <process> with tasks or events to import.")
    if len(processes) > 1:
        ids = ", ".join(p.get("id", "?") for p in processes)
        raise PlannerError(f"{source}: has {len(processes)} processes with flow nodes ({ids}); "
                           "this import reads one process. Keep the one to simulate.")
    nodes, flow_elements, ignored = _nodes(processes[0], source)
    flows = _flows(flow_elements, nodes, ignored, source)
    starts = [n for n in nodes.values() if n.kind == "start"]
    if len(starts) != 1:
        names = ", ".join(n.describe() for n in starts) or "none"
        raise PlannerError(f"{source}: needs exactly one start event (found {names}); "
                           "Prosimos starts every case at one start event.")
    if not starts[0].outgoing:
        raise PlannerError(f"{source}: {starts[0].describe()} has no outgoing sequence flow.")
    return ProcessGraph(nodes, flows, starts[0].id, ignored)


def _nodes(process: Element, source: str
           ) -> tuple[dict[str, Node], list[Element], dict[str, str]]:
    nodes: dict[str, Node] = {}
    flows: list[Element] = []
    ignored: dict[str, str] = {}
    for child in process:
        _, tag = _local(child.tag)
        if tag == "sequenceFlow":
            flows.append(child)
        elif tag in KINDS:
            node_id = child.get("id")
            if not node_id:
                raise PlannerError(f"{source}: a <{tag}> has no id attribute.")
            if node_id in nodes:
                raise PlannerError(f"{source}: the id '{node_id}' is used by two elements.")
            name = " ".join((child.get("name") or "").split()) or node_id
            nodes[node_id] = Node(node_id, KINDS[tag], tag, name)
        elif tag in UNSUPPORTED:
            label = child.get("name") or child.get("id", "?")
            raise PlannerError(
                f"{source}: {tag} '{label}' (id {child.get('id', '?')}) is not supported: "
                f"{UNSUPPORTED[tag]}. Supported are {SUPPORTED}.")
        elif tag not in IGNORED:
            ignored[child.get("id") or f"#{len(ignored) + 1}"] = tag
    return nodes, flows, ignored


def _flows(elements: list[Element], nodes: dict[str, Node], ignored: dict[str, str],
           source: str) -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    for element in elements:
        flow_id, src, dst = element.get("id"), element.get("sourceRef"), element.get("targetRef")
        if not (flow_id and src and dst):
            raise PlannerError(f"{source}: a sequenceFlow (id {flow_id or '?'}) lacks an id, "
                               "sourceRef or targetRef.")
        if flow_id in flows or flow_id in nodes:
            raise PlannerError(f"{source}: the id '{flow_id}' is used by two elements.")
        for end in (src, dst):
            if end in ignored:
                raise PlannerError(
                    f"{source}: sequenceFlow '{flow_id}' connects {ignored[end]} '{end}', "
                    f"which this import does not support. Supported are {SUPPORTED}.")
            if end not in nodes:
                raise PlannerError(f"{source}: sequenceFlow '{flow_id}' connects '{end}', "
                                   "which is not an element of the process.")
        flows[flow_id] = Flow(flow_id, src, dst)
        nodes[src].outgoing.append(flow_id)
        nodes[dst].incoming.append(flow_id)
    for node in nodes.values():
        if node.kind == "start" and node.incoming:
            raise PlannerError(f"{source}: {node.describe()} has an incoming sequence flow; a "
                               "start event can only begin the process.")
        if node.kind == "end" and node.outgoing:
            raise PlannerError(f"{source}: {node.describe()} has an outgoing sequence flow; an "
                               "end event can only finish the process.")
        if node.kind == "or" and len(node.outgoing) > 1:
            raise PlannerError(f"{source}: {node.describe()} is not supported: {OR_SPLIT}, "
                               f"which our routing cannot express. Supported are {SUPPORTED}.")
    return flows
