"""Where the app keeps uploads: private to this user, few, and gone when the server is.

The readers need a file, so an upload is written to disk. Other users of a shared machine
must not read it, and a server that runs for weeks must not fill the disk: each server
process keeps its uploads in its own folder, made by ``tempfile.mkdtemp`` (mode 0700, a
name no one can guess), files mode 0600; only the most recent few are kept; the folder is
removed when the server stops, and folders left by a server that was killed are removed
by the next one. Messages name the upload, never the folder on the server.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

PREFIX = "l2c-uploads-"
LEGACY = "l2c-uploads"  # one folder for every upload, readable by all: removed on sight
KEPT = 4  # uploads kept on disk; older ones are removed as new ones arrive
_lock = threading.RLock()
_root: Path | None = None


def root() -> Path:
    """This server's private upload folder, made on first use (stale ones removed then)."""
    global _root  # noqa: PLW0603 - one folder per server process
    with _lock:
        if _root is None or not _root.is_dir():
            remove_stale(Path(tempfile.gettempdir()))
            _root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
            atexit.register(shutil.rmtree, _root, ignore_errors=True)
        return _root


def remove_stale(folder: Path) -> list[Path]:
    """Remove this user's upload folders whose server process is gone (and the shared
    folder earlier versions kept every upload in)."""
    removed = []
    for candidate in [*folder.glob(f"{PREFIX}*"), folder / LEGACY]:
        match = re.fullmatch(rf"{PREFIX}(\d+)-.*", candidate.name)
        try:
            mine = candidate.is_dir() and not candidate.is_symlink() and (
                candidate.stat().st_uid == os.getuid())
        except OSError:
            continue
        if mine and (candidate.name == LEGACY or (match and not _running(int(match.group(1))))):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def keep(data: bytes, name: str) -> tuple[Path, str]:
    """Write an upload privately (once per content) and return its path and SHA-256."""
    paths, digest = keep_together([(name, data)])
    return paths[0], digest


def keep_together(files: list[tuple[str, bytes]]) -> tuple[list[Path], str]:
    """Write files uploaded together (a CRM's tables) into one private folder, kept or
    removed as one upload; their paths and the SHA-256 of names and contents together."""
    if len(files) == 1:
        digest = hashlib.sha256(files[0][1]).hexdigest()
    else:
        digest = hashlib.sha256(b"".join(
            hashlib.sha256(name.encode()).digest() + hashlib.sha256(data).digest()
            for name, data in files)).hexdigest()
    with _lock:
        folder = root() / digest[:32]
        folder.mkdir(mode=0o700, exist_ok=True)
        paths = [_write(folder, Path(name).name or "upload.csv", data) for name, data in files]
        os.utime(folder)  # most recently used
        _prune(root(), folder)
    return paths, digest


def _write(folder: Path, name: str, data: bytes) -> Path:
    """One file, mode 0600, written whole or not at all."""
    path = folder / name
    if not path.is_file() or path.stat().st_size != len(data):
        partial = folder / f".{path.name}.part"
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        partial.replace(path)
    return path


def _prune(base: Path, current: Path) -> None:
    """Keep the ``KEPT`` most recently used uploads."""
    folders = sorted((f for f in base.iterdir() if f.is_dir() and f != current),
                     key=lambda f: f.stat().st_mtime, reverse=True)
    for old in folders[KEPT - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def holds(path: Path) -> bool:
    """Whether the file is an upload kept here (not the bundled sample)."""
    return _root is not None and path.is_relative_to(_root)


def public(text: str, path: Path, name: str) -> str:
    """The text with the upload's path on the server replaced by the name it was uploaded
    under (and any other path in the upload folder by its file name)."""
    return scrub(text.replace(str(path), name))


def scrub(text: str) -> str:
    """The text with every path in the upload folder cut to its file name."""
    if _root is None:
        return text
    return re.sub(rf"{re.escape(str(_root))}/(?:[^/\s'\"]+/)*", "", text)
