"""Checks on a Parquet file before it is read: its columns are compressed, so a small file
can hold gigabytes. The file's footer states the row count and every column chunk's
uncompressed size, so both are checked without decompressing anything."""

from __future__ import annotations

from pathlib import Path

from calibration import limits
from sim.errors import PlannerError


def check_parquet(path: Path, limit_bytes: int) -> None:
    """Refuse a Parquet file with more rows than allowed or whose data, uncompressed, is
    over the size limit."""
    import pyarrow
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except (OSError, pyarrow.ArrowException) as exc:
        raise PlannerError(f"{path}: could not be read as Parquet ({exc}).") from exc
    limits.check_rows(meta.num_rows, str(path))
    expanded = sum(meta.row_group(g).column(c).total_uncompressed_size
                   for g in range(meta.num_row_groups) for c in range(meta.num_columns))
    if expanded > limit_bytes:
        raise PlannerError(f"{path}: the data expands to {expanded / 2**20:,.0f} MB, over the "
                           f"{limit_bytes / 2**20:,.0f} MB limit. Export fewer cases, or raise "
                           "the limit with --max-size.")
