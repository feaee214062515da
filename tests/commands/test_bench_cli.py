"""``godwit bench`` argument handling: bad input is refused before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from godwit.cli import build_parser, main


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    code = exited.value.code
    return code if isinstance(code, int) else 1


def test_rates_are_positive_numbers_and_sorted() -> None:
    args = build_parser().parse_args(["bench", "run", "--mixed-rates", "400,50,100"])
    assert args.mixed_rates == (50.0, 100.0, 400.0)
    for bad in ("10,x", "0,10", "-5", ","):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["bench", "run", "--mixed-rates", bad])


def test_defaults_follow_the_spec() -> None:
    args = build_parser().parse_args(["bench", "run"])
    assert args.signup_rates == (5.0, 10.0, 20.0, 40.0)
    assert args.surge_read_rate == 200.0
    assert args.fanout_targets == (10, 1000, 10000)
    assert args.fanout_watchers == 200
    assert args.phases == "baseline,signup,follow,ingest,mixed,fanout"


def test_an_unknown_phase_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from godwit.bench.dataset import DatasetSpec
    from godwit.bench.state import BenchState

    state = tmp_path / "state.json"
    BenchState("http://127.0.0.1:9", "api", DatasetSpec(members=5), ["1"], ["t"], 0.0).save(state)
    monkeypatch.chdir(tmp_path)
    assert run(["bench", "run", "--state", str(state), "--phases", "mixed,nope"]) == 2
    assert "unknown phases ['nope']" in capsys.readouterr().out


def test_a_missing_or_foreign_state_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["bench", "run", "--state", str(tmp_path / "missing.json")]) == 2
    assert "godwit bench prepare" in capsys.readouterr().out
    foreign = tmp_path / "other.json"
    foreign.write_text('{"format": 99}')
    assert run(["bench", "run", "--state", str(foreign)]) == 2
    assert "not a godwit bench state file" in capsys.readouterr().out
