"""Labelled texts for training and evaluating the threat head: the team's seed set, the Gab
Hate Corpus (read from ../shared at training time only, never copied into the project) with
our review of its ``cv`` label, and any ``label``/``text`` TSV for ``godwit moderation eval``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from godwit.moderation.embedding_cache import text_sha256

DATA = resources.files("godwit.moderation") / "data"
SEED_FILE = "seed.tsv"
REVIEW_FILE = "gab-cv-review.tsv"


class DatasetError(ValueError):
    """A TSV that cannot be read as labelled texts; the message says where and why."""


@dataclass(frozen=True)
class LabelledText:
    text: str
    label: int  # 1: threat or call for violence
    source: str  # "seed", "gab" (or the name of an evaluation file)
    category: str = ""
    corpus_label: int | None = None  # Gab: the corpus's own cv label, before our review


def _rows(lines: Iterable[str], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """TSV rows as dicts; lines starting with '#' are comments. Quotes are not special."""
    body = [line for line in lines if not line.startswith("#")]
    reader = csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE)
    if reader.fieldnames is None:
        raise DatasetError(f"{name}: empty file")
    for number, row in enumerate(reader, 2):
        if None in row or any(value is None for value in row.values()):
            raise DatasetError(f"{name}, row {number}: wrong number of columns")
        yield number, row


def _label(value: str, name: str, number: int) -> int:
    if value.strip() not in ("0", "1"):
        raise DatasetError(f"{name}, row {number}: label must be 0 or 1, not {value!r}")
    return int(value)


def data_text(file_name: str) -> str:
    return (DATA / file_name).read_text(encoding="utf-8")


def read_seed(text: str | None = None) -> list[LabelledText]:
    text = data_text(SEED_FILE) if text is None else text
    return [
        LabelledText(row["text"], _label(row["label"], SEED_FILE, n), "seed", row["category"])
        for n, row in _rows(io.StringIO(text), SEED_FILE)
    ]


def read_review(text: str | None = None) -> dict[str, tuple[int, str]]:
    """Our label and reason for each reviewed Gab post, by the SHA-256 of its text."""
    text = data_text(REVIEW_FILE) if text is None else text
    return {
        row["sha256"]: (_label(row["label"], REVIEW_FILE, n), row["reason"])
        for n, row in _rows(io.StringIO(text), REVIEW_FILE)
    }


@dataclass(frozen=True)
class GabSelection:
    positives: list[LabelledText]  # our label 1: corpus cv=1 we kept, and cv=0 we promoted
    relabelled: list[LabelledText]  # corpus cv=1 that our review turned to 0
    negatives: list[LabelledText]  # a fixed sample of the other corpus cv=0 posts
    unreviewed_positives: int  # corpus cv=1 rows missing from the review (should be 0)
    duplicates: int

    @property
    def promoted(self) -> int:
        """Corpus cv=0 posts that our review labels 1."""
        return sum(1 for item in self.positives if item.corpus_label == 0)


def read_gab(path: Path, review: dict[str, tuple[int, str]], negatives: int | None) -> GabSelection:
    """The corpus's posts, deduplicated by text, labelled by ``review`` where it has the
    post and by the corpus's ``cv`` elsewhere; ``negatives`` keeps the unreviewed cv=0 posts
    whose SHA-256 sorts first (all of them when None)."""
    csv.field_size_limit(1 << 24)
    seen: set[str] = set()
    positives: list[LabelledText] = []
    relabelled: list[LabelledText] = []
    candidates: list[tuple[str, LabelledText]] = []
    unreviewed = duplicates = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text, key = row["text"], text_sha256(row["text"])
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            corpus_label = 1 if row["cv"] == "1" else 0
            if key in review:
                label, reason = review[key]
                item = LabelledText(text, label, "gab", reason, corpus_label)
                (positives if label == 1 else relabelled).append(item)
            elif corpus_label == 1:
                unreviewed += 1
                positives.append(LabelledText(text, 1, "gab", "unreviewed", 1))
            else:
                candidates.append((key, LabelledText(text, 0, "gab", "corpus-negative", 0)))
    candidates.sort(key=lambda pair: pair[0])
    chosen = candidates if negatives is None else candidates[:negatives]
    return GabSelection(positives, relabelled, [item for _, item in chosen], unreviewed, duplicates)


def read_labelled_tsv(path: Path) -> list[LabelledText]:
    """A TSV with a header naming at least ``label`` (0/1) and ``text``; other columns are
    ignored. Fields may be quoted the CSV way (as pandas and the Gab Hate Corpus write them)."""
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header is None:
            raise DatasetError(f"{path}: empty file")
        missing = {"label", "text"} - set(header)
        if missing:
            raise DatasetError(f"{path}: no column named {', '.join(sorted(missing))}")
        label_at, text_at = header.index("label"), header.index("text")
        items = []
        for fields in reader:
            if not fields:
                continue
            if len(fields) != len(header):
                raise DatasetError(
                    f"{path}, line {reader.line_num}: {len(fields)} columns, not {len(header)}"
                )
            label = _label(fields[label_at], str(path), reader.line_num)
            items.append(LabelledText(fields[text_at], label, path.name))
    if not items:
        raise DatasetError(f"{path}: no rows")
    return items
