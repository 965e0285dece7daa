"""Importing a business-process simulation model in the Prosimos format (as Simod discovers it).

A Prosimos model is two files: a BPMN 2.0 diagram (tasks, exclusive and parallel gateways,
start, end and intermediate catch events) and a JSON file of simulation parameters (arrivals,
resource pools and calendars, task durations per resource, gateway branching probabilities).
``import_bps`` turns them into a ``ProcessModel``, so a model discovered with Simod runs
here. What our model cannot express is refused with a message that names the element and
says what is supported; what it can only approximate is done in a documented way and
reported in the notes.

Modules: ``files`` (reading both files safely), ``bpmn`` (the diagram as a graph),
``params`` (the JSON sections), ``durations`` (Prosimos distributions to ours),
``calendars`` (weekly time periods to hour calendars), ``arrivals`` (the arrival rate
profile), ``pools`` (resources to pools), ``routing`` (the graph walk to activity-to-activity
probabilities and parallel blocks) and ``convert`` (``import_bps``, putting it together).
"""

from calibration.bps.convert import BpsImport, import_bps

__all__ = ["BpsImport", "import_bps"]
