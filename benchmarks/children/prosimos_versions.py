"""Child of the Prosimos benchmarks, run by the Python of Prosimos's own environment: the
versions of Prosimos, its framework, its numeric libraries and Python, as JSON."""

from __future__ import annotations

import json
import platform
from importlib import metadata

PACKAGES = ("prosimos", "pix-framework", "numpy", "scipy", "pandas")


def versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in PACKAGES} | {
        "python": platform.python_version()}


if __name__ == "__main__":
    print(json.dumps(versions()))
