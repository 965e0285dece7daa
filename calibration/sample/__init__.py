"""The bundled lead-to-cash sample: a realistic CRM export the planner runs on out of the box.

The log is made by ``generator`` from the true process in ``truth`` and shipped in three
styles (Dynamics 365 columns, Oracle CX Sales columns, XES) so the main job needs no data of
the user's and tests can check the column mapping and the calibration against the truth.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sim.errors import PlannerError

SAMPLE_DIR = Path(__file__).parent / "data"
FILES: dict[str, str] = {
    "d365": "l2c_sample_d365.csv.gz",
    "oracle": "l2c_sample_oracle.csv.gz",
    "xes": "l2c_sample.xes.gz",
}
TRUE_PARAMS = "true_params.json"


def sample_path(style: str = "d365") -> Path:
    """Path of the bundled sample file in ``style`` (d365, oracle or xes)."""
    if style not in FILES:
        raise PlannerError(f"Unknown sample style '{style}': use one of {', '.join(FILES)}.")
    return SAMPLE_DIR / FILES[style]


def true_params() -> dict[str, object]:
    """The parameters the sample was generated with (see ``truth``)."""
    return json.loads((SAMPLE_DIR / TRUE_PARAMS).read_text(encoding="utf-8"))


def write_sample(output: str | Path, style: str = "d365") -> Path:
    """Copy the bundled sample in ``style`` to ``output``.

    The bundled files are compressed; a target without ``.gz`` gets the plain text.
    """
    source = sample_path(style)
    target = Path(output)
    if target.is_dir():
        raise PlannerError(f"{target} is a folder: give a file name, e.g. {target / source.name}")
    kind = "xes" if style == "xes" else "csv"
    suffixes = (".xes", ".xml") if kind == "xes" else (".csv", ".txt")
    if not target.name.lower().removesuffix(".gz").endswith(suffixes):
        raise PlannerError(f"{target}: the {style} sample is written as {kind.upper()}; name it "
                           f"{suffixes[0]} or {suffixes[0]}.gz"
                           + ("" if kind == "xes" else ", or use --style xes for XES") + ".")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".gz":
        shutil.copyfile(source, target)
    else:
        import gzip

        target.write_bytes(gzip.decompress(source.read_bytes()))
    return target
