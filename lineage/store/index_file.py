"""The adjacency index saved beside a store file, so the next process need not rebuild it.

The file holds plain numpy arrays (``numpy.savez``, read back with ``allow_pickle=False``) and
the store generation the index describes. A copy of another generation, or one that is
damaged or foreign, is never used: the caller rebuilds the index and saves it again.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from lineage.store.adjacency import Adjacency


def load(path: Path, generation: int) -> Adjacency | None:
    """The index saved at ``path`` when it describes ``generation``, else ``None``."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as arrays:
            if int(arrays["generation"][0]) != generation:
                return None
            return Adjacency.from_arrays(arrays)
    except (OSError, EOFError, ValueError, KeyError, IndexError, UnicodeDecodeError,
            zipfile.BadZipFile):  # fmt: skip
        return None


def save(path: Path, generation: int, index: Adjacency) -> None:
    """Write the index atomically (a reader sees the old copy or the new one); a folder that
    cannot be written leaves the index in memory only."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial.npz")
    try:
        np.savez(partial, generation=np.array([generation]), **index.to_arrays())
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)
