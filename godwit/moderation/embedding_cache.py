"""A training-time cache of sentence embeddings, keyed by the SHA-256 of each text.

Embedding the Gab corpus takes minutes on a shared CPU, so training keeps what it computed in
a folder outside the repository (``~/.cache/godwit/threat-embeddings/<model hash>/`` unless
told otherwise): ``index.tsv`` maps a text's hash to a row of ``vectors.f32`` (float32, one
embedding per row, appended). One writer at a time. Texts are embedded one by one, so a
cached vector never depends on which other texts were embedded with it: the same text gives
the same bytes on the same numpy/OpenBLAS build and CPU, which is what lets the training
script rebuild the head byte for byte.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "godwit" / "threat-embeddings"


class EmbeddingCache:
    def __init__(self, directory: Path, dimension: int) -> None:
        self.directory = directory
        self.dimension = dimension
        directory.mkdir(parents=True, exist_ok=True)
        self._index_path = directory / "index.tsv"
        self._vectors_path = directory / "vectors.f32"
        self._rows: dict[str, int] = {}
        if self._index_path.exists():
            for line in self._index_path.read_text(encoding="ascii").splitlines():
                key, row = line.split("\t")
                self._rows[key] = int(row)
        row_bytes = 4 * dimension
        stored = self._vectors_path.stat().st_size if self._vectors_path.exists() else 0
        complete = stored // row_bytes
        valid = {key: row for key, row in self._rows.items() if row < complete}
        if stored % row_bytes or len(valid) != len(self._rows):
            # An interrupted run: drop the half-written vector and the index lines without a
            # vector, so the next appended vector cannot inherit a stale line's row number.
            kept = sorted(valid.items(), key=lambda item: item[1])
            if stored:
                with self._vectors_path.open("r+b") as vectors:
                    vectors.truncate(complete * row_bytes)
            self._index_path.write_text(
                "".join(f"{key}\t{row}\n" for key, row in kept), encoding="ascii"
            )
        self._rows = valid

    def __len__(self) -> int:
        return len(self._rows)

    def embed(
        self,
        texts: Sequence[str],
        encode_one: Callable[[str], Vectors],
        progress: Callable[[int, int], None] | None = None,
    ) -> Vectors:
        """Embeddings of ``texts`` in order, computing (and storing) the missing ones."""
        keys = [text_sha256(text) for text in texts]
        first = {key: i for i, key in reversed(list(enumerate(keys)))}
        missing = sorted(i for key, i in first.items() if key not in self._rows)
        next_row = (
            self._vectors_path.stat().st_size // (4 * self.dimension)
            if self._vectors_path.exists()
            else 0
        )
        with (
            self._vectors_path.open("ab") as vectors,
            self._index_path.open("a", encoding="ascii") as index,
        ):
            for done, i in enumerate(missing, 1):
                vector = np.asarray(encode_one(texts[i]), dtype=np.float32).reshape(-1)
                vectors.write(vector.tobytes())
                vectors.flush()
                index.write(f"{keys[i]}\t{next_row}\n")
                index.flush()
                self._rows[keys[i]] = next_row
                next_row += 1
                if progress is not None and (done % 500 == 0 or done == len(missing)):
                    progress(done, len(missing))
        table = np.fromfile(self._vectors_path, dtype=np.float32).reshape(-1, self.dimension)
        return np.ascontiguousarray(table[[self._rows[key] for key in keys]])
