"""The seed set, the Gab review list and the TSV readers."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from godwit.moderation.datasets import (
    DATA,
    DatasetError,
    read_gab,
    read_labelled_tsv,
    read_review,
    read_seed,
)
from godwit.moderation.embedding_cache import text_sha256
from tests.moderation.support import require_gab_corpus


def test_the_seed_set_is_large_varied_and_clean() -> None:
    seeds = read_seed()
    labels = Counter(item.label for item in seeds)
    assert labels[1] >= 150
    assert labels[0] >= 200
    categories: dict[int, set[str]] = {0: set(), 1: set()}
    for item in seeds:
        categories[item.label].add(item.category)
    assert {"direct-threat", "incitement-person", "incitement-group", "call-to-arms"} <= categories[
        1
    ]
    assert {"idiom", "news", "fiction", "game", "sport", "history", "condemnation", "politics"} <= (
        categories[0]
    )
    texts = [item.text for item in seeds]
    assert len(set(texts)) == len(texts)
    assert all(text.strip() == text and text and "\t" not in text for text in texts)


def test_the_review_list_holds_hashes_and_labels_only() -> None:
    review = read_review()
    assert len(review) == 131 + 15
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in review)
    assert Counter(label for label, _ in review.values()) == {1: 80 + 15, 0: 51}


def test_the_review_covers_every_corpus_positive_and_no_gab_text_is_in_the_project() -> None:
    corpus = require_gab_corpus()
    review = read_review()
    selection = read_gab(corpus, review, negatives=0)
    assert selection.unreviewed_positives == 0
    assert len(selection.positives) + len(selection.relabelled) == len(review)
    assert selection.promoted == 15
    assert sum(1 for item in selection.relabelled if item.corpus_label == 1) == 51
    csv.field_size_limit(1 << 24)
    with corpus.open(encoding="utf-8", newline="") as handle:
        gab_texts = {row["text"].strip() for row in csv.DictReader(handle, delimiter="\t")}
    ours = "\n".join((DATA / name).read_text("utf-8") for name in ("seed.tsv", "gab-cv-review.tsv"))
    project_lines = {line.split("\t")[-1].strip() for line in ours.splitlines()}
    assert not {text for text in gab_texts if len(text) > 15} & project_lines


def test_gab_negatives_are_a_fixed_sample_by_hash() -> None:
    corpus = require_gab_corpus()
    some = read_gab(corpus, read_review(), negatives=50).negatives
    more = read_gab(corpus, read_review(), negatives=100).negatives
    assert [item.text for item in more[:50]] == [item.text for item in some]
    keys = [text_sha256(item.text) for item in more]
    assert keys == sorted(keys)


def test_labelled_tsv_with_quotes_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "eval.tsv"
    path.write_text(
        'id\tlabel\ttext\n1\t1\t"he said ""run"" and\tleft"\n2\t0\tplain text\n\n',
        encoding="utf-8",
    )
    items = read_labelled_tsv(path)
    assert [(item.label, item.text) for item in items] == [
        (1, 'he said "run" and\tleft'),
        (0, "plain text"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("label\tbody\n1\tx\n", "no column named text"),
        ("label\ttext\n2\tx\n", "label must be 0 or 1"),
        ("label\ttext\n1\tx\textra\n", "columns"),
        ("label\ttext\n", "no rows"),
    ],
)
def test_unreadable_tsv_is_refused_with_a_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        read_labelled_tsv(path)
