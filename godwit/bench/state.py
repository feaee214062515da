"""The prepared dataset as the timed phases need it: written by ``godwit bench prepare``.

It keeps the dataset spec (the graph and posts are rebuilt from it, deterministically),
and for each member index the server's account id and an access token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from godwit.bench.dataset import DatasetSpec

Method = Literal["api", "direct"]
FORMAT = 1


@dataclass
class BenchState:
    base_url: str
    method: Method
    spec: DatasetSpec
    account_ids: list[str]
    tokens: list[str]
    seconds: float  # how long preparation took (untimed phase, reported for reference)

    def save(self, path: Path) -> None:
        data: dict[str, Any] = {
            "format": FORMAT,
            "base_url": self.base_url,
            "method": self.method,
            "spec": self.spec.as_dict(),
            "account_ids": self.account_ids,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))

    @classmethod
    def load(cls, path: Path) -> BenchState:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a godwit bench state file (format {FORMAT})")
        method: Method = "direct" if data["method"] == "direct" else "api"
        return cls(
            base_url=str(data["base_url"]),
            method=method,
            spec=DatasetSpec.from_dict(data["spec"]),
            account_ids=[str(value) for value in data["account_ids"]],
            tokens=[str(value) for value in data["tokens"]],
            seconds=float(data["seconds"]),
        )
