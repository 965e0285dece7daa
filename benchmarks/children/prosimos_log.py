"""Child of ``prosimos_reference_log.py`` and ``prosimos_examples.py``, run by the Python of
Prosimos's own environment: Prosimos's log of one model (BPMN and PARAMS), CASES cases with
SEED from BEGIN, written to LOG. Prints the environment's versions as JSON, so the caller
can check it ran the Prosimos it pins."""

from __future__ import annotations

import json
import random
import sys

import numpy as np
from prosimos.simulation_engine import run_simulation
from prosimos_versions import versions


def main() -> None:
    bpmn, params, cases, seed, begin, log = sys.argv[1:7]
    random.seed(int(seed))  # Prosimos draws from the global generators: seeded for a repeat
    np.random.seed(int(seed))
    run_simulation(bpmn, params, int(cases), log_out_path=log, starting_at=begin)
    print(json.dumps(versions()))


if __name__ == "__main__":
    main()
