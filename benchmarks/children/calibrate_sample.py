"""Child of ``time_to_answer.py``: calibrate the bundled sample with the planner on
``PYTHONPATH`` (this checkout or an earlier one) and write the model to PATH, so each version
timed answers from its own model."""

from __future__ import annotations

import sys
from pathlib import Path

from harness import calibrated_sample


def main() -> None:
    Path(sys.argv[1]).write_text(calibrated_sample().to_json(), encoding="utf-8")
    print("{}")


if __name__ == "__main__":
    main()
