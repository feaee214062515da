"""``godwit moderation``: the offline threat scorer's tools.

- ``eval FILE.tsv``: score a labelled TSV (columns ``label``, ``text``) and print average
  precision, ROC AUC, recall at 5 % false positives, and precision/recall at each preset.
- ``score TEXT``: one text's score and the seed examples nearest to it.
- ``train``: rebuild the committed head from the seed set and the Gab corpus (use
  ``scripts/train-threat-head``); ``--check`` compares instead of writing.
- ``bench``: measure load time, latency per post and batched throughput.

numpy and the model are imported only when one of these runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from godwit.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GAB = REPO_ROOT.parent / "shared" / "datasets" / "gab-hate-corpus-train.tsv"


def _fail(message: str) -> int:
    print(f"godwit moderation: {message}", file=sys.stderr)
    return 2


def evaluate(_settings: Settings, args: argparse.Namespace) -> int:
    from godwit.moderation.datasets import DatasetError, read_labelled_tsv
    from godwit.moderation.evaluation import evaluate, format_report
    from godwit.moderation.model_files import ModelFilesMissing
    from godwit.moderation.scorer import shared_model

    path = Path(args.file)
    try:
        items = read_labelled_tsv(path)
        if len({item.label for item in items}) < 2:
            return _fail(f"{path}: needs both threats (label 1) and other posts (label 0)")
        model = shared_model()
    except (OSError, DatasetError, ModelFilesMissing) as error:
        return _fail(str(error))
    print(format_report(evaluate(items, model.encoder, model.head), path.name), end="")
    return 0


def score(_settings: Settings, args: argparse.Namespace) -> int:
    from godwit.moderation.model_files import ModelFilesMissing
    from godwit.moderation.scorer import score_texts, shared_model

    try:
        model = shared_model()
    except ModelFilesMissing as error:
        return _fail(str(error))
    result = score_texts(model, [args.text], args.neighbours)[0]
    flagged = [p.value for p, t in model.head.thresholds.items() if result.exceeds(t)]
    print(f"score {result.score:.4f}; flagged by: {', '.join(flagged) or 'no preset'}")
    for example in result.nearest:
        kind = "threat" if example.is_threat else "not a threat"
        print(f"  {example.similarity:.3f}  [{kind}: {example.category}] {example.text}")
    return 0


def train(_settings: Settings, args: argparse.Namespace) -> int:
    from threadpoolctl import threadpool_limits

    from godwit.moderation.embedding_cache import default_cache_root
    from godwit.moderation.encoder import Encoder
    from godwit.moderation.head import HEAD_FILE, MANIFEST_FILE
    from godwit.moderation.training import TrainingConfig, train, write

    gab = None if args.seed_only else Path(args.gab)
    if gab is not None and not gab.is_file():
        return _fail(f"{gab} not found: pass --gab PATH, or --seed-only")
    committed = REPO_ROOT / "godwit" / "moderation" / "data"
    config = TrainingConfig(
        gab_path=gab,
        output_dir=Path(args.output) if args.output else committed,
        cache_dir=Path(args.cache) if args.cache else default_cache_root(),
        seed_path=Path(args.seed) if args.seed else None,
        gab_negatives=args.gab_negatives,
    )
    with threadpool_limits(limits=1):  # bit-for-bit repeatable BLAS
        result = train(config, Encoder())
    if args.check:
        same = all(
            (config.output_dir / name).read_bytes() == data
            for name, data in ((HEAD_FILE, result.head), (MANIFEST_FILE, result.manifest_file))
        )
        print("the committed head is reproduced byte for byte" if same else "DIFFERENT bytes")
        return 0 if same else 1
    write(result, config.output_dir)
    print(f"wrote {config.output_dir / HEAD_FILE} and {MANIFEST_FILE}")
    print(f"thresholds: {result.manifest['thresholds']}")
    return 0


def bench(_settings: Settings, args: argparse.Namespace) -> int:
    from godwit.moderation.benchmark import run_benchmark

    try:
        print(run_benchmark(Path(args.texts) if args.texts else None, args.posts), end="")
    except (OSError, ValueError) as error:
        return _fail(str(error))
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("moderation", help="the offline threat scorer: eval, score, train")
    commands = parser.add_subparsers(dest="moderation_command", required=True)

    p = commands.add_parser("eval", help="evaluate the threat scorer on a label/text TSV")
    p.add_argument("file", metavar="FILE.tsv")
    p.set_defaults(handler=evaluate)

    p = commands.add_parser("score", help="score one text and show its nearest seed examples")
    p.add_argument("text")
    p.add_argument("--neighbours", type=int, default=3)
    p.set_defaults(handler=score)

    p = commands.add_parser("train", help="retrain the threat head (scripts/train-threat-head)")
    p.add_argument("--gab", default=str(DEFAULT_GAB), help="the Gab Hate Corpus training TSV")
    p.add_argument("--seed-only", action="store_true", help="train on the seed set alone")
    p.add_argument("--seed", help="a seed TSV other than the project's (tests)")
    p.add_argument("--gab-negatives", type=int, help="keep only this many cv=0 posts")
    p.add_argument("--output", help="write here instead of godwit/moderation/data")
    p.add_argument("--cache", help="embedding cache folder (default ~/.cache/godwit/...)")
    p.add_argument("--check", action="store_true", help="compare with --output, don't write")
    p.set_defaults(handler=train)

    p = commands.add_parser("bench", help="measure the scorer's load time, latency, throughput")
    p.add_argument("--texts", help="a TSV with a text column (default: the seed set, paired)")
    p.add_argument("--posts", type=int, default=400)
    p.set_defaults(handler=bench)
