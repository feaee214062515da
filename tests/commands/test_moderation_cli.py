"""`godwit moderation eval` and `score` on small inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from godwit.cli import main
from tests.moderation.support import FIXTURES, require_model


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_eval_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    require_model()
    code, out, _ = _run(["moderation", "eval", str(FIXTURES / "eval-small.tsv")], capsys)
    assert code == 0
    assert "eval-small.tsv: 5 threats, 7 other posts" in out
    for label in ("average precision", "ROC AUC", "recall at 5% FPR"):
        assert re.search(rf"^{label}\s+(0|1)\.\d{{3}}$", out, re.MULTILINE), label
    for preset in ("strict", "standard", "lenient"):
        row = re.search(rf"^{preset}\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)$", out, re.MULTILINE)
        assert row, preset
        threshold, _precision, recall, fpr, _flagged = row.groups()
        assert 0 < float(threshold) < 1
        assert 0 <= float(recall) <= 1
        assert 0 <= float(fpr) <= 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("label\ttext\n1\tonly threats here\n", "needs both threats"),
        ("label\tbody\n1\tx\n", "no column named text"),
    ],
)
def test_eval_refuses_unusable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    code, _, err = _run(["moderation", "eval", str(path)], capsys)
    assert code == 2
    assert message in err


def test_eval_of_a_missing_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["moderation", "eval", str(tmp_path / "none.tsv")], capsys)
    assert code == 2
    assert "none.tsv" in err


def test_score_shows_the_nearest_examples(capsys: pytest.CaptureFixture[str]) -> None:
    require_model()
    code, out, _ = _run(["moderation", "score", "I will find you and hurt you"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("score 0.")
    assert "flagged by" in lines[0]
    assert len(lines) == 4
    assert all("[" in line for line in lines[1:])
