"""Reading the two files of a Prosimos model, treating both as untrusted.

The BPMN file is XML from a stranger: a DOCTYPE can expand entities into gigabytes ("billion
laughs") or read local files through external entities. BPMN never needs a DTD, so any
DOCTYPE, entity or external reference is refused before the tree is built. The parameters
file is JSON; ``NaN`` and ``Infinity``, which Python's reader would accept, are refused too.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, parse

from sim.errors import PlannerError

MAX_MB = 200.0  # a Prosimos model is kilobytes; anything this large is not one


def _check_file(path: Path, what: str) -> None:
    if not path.is_file():
        raise PlannerError(f"{path}: no such file (expected the {what}).")
    size_mb = path.stat().st_size / 1e6
    if size_mb > MAX_MB:
        raise PlannerError(f"{path}: {size_mb:.0f} MB is too large for a {what} "
                           f"(limit {MAX_MB:.0f} MB).")


def read_bpmn(path: Path) -> Element:
    """The root element of the BPMN file, parsed with DTDs and entities forbidden."""
    _check_file(path, "BPMN model")
    try:
        tree = parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PlannerError(
            f"{path}: the BPMN file declares a DTD or XML entities ({type(exc).__name__}). "
            "BPMN files never need them and they can be used to attack the reader, so the "
            "file was refused. Export the model again without a DOCTYPE."
        ) from None
    except ParseError as exc:
        raise PlannerError(f"{path}: is not well-formed XML ({exc}). Check that the file is "
                           "a complete BPMN export.") from None
    except OSError as exc:
        raise PlannerError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    return tree.getroot()


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_params(path: Path) -> dict:
    """The parameters file as a dict (its top level must be a JSON object)."""
    _check_file(path, "simulation parameters (JSON)")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlannerError(f"{path}: is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                           "Prosimos parameter files are UTF-8 JSON.") from None
    except OSError as exc:
        raise PlannerError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise PlannerError(f"{path}: is not valid JSON (line {error.lineno}, column "
                           f"{error.colno}): {error.msg}.") from None
    except ValueError as error:
        raise PlannerError(f"{path}: {error}; write a finite number instead.") from None
    if not isinstance(data, dict):
        raise PlannerError(f"{path}: the top level must be a JSON object with sections such as "
                           f"'resource_profiles' (got a {type(data).__name__}).")
    return data
