"""What a benchmark dataset holds, as a spec that rebuilds it exactly from a seed.

A dataset is N members (``<prefix><index>``), a follow graph over them, M posts and the
"active" fifth of the members who do the reading and posting in the timed phases (spec
§5). Post text has DeathStarBench's shape: about 256 characters of random words, 0-3
mentions of other members and 0-2 links of 64 random characters.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from godwit.bench.graph import DEFAULT_PROBES, FollowGraph, load_edge_list, synthetic

GraphKind = Literal["edges", "synthetic"]
TEXT_CHARS = 256
# Links go to a reserved name (RFC 2606): nothing is fetched from a real site.
LINK_BASE = "https://bench.invalid/"
_ALPHANUMERIC = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class DatasetSpec:
    graph: GraphKind = "synthetic"
    members: int = 962  # synthetic graphs; an edge list sets its own
    edges_path: str = ""  # for graph="edges"
    symmetric: bool = True  # edge lists: each pair followed both ways (DSB)
    mean_out: float = 40.0
    probes: tuple[int, ...] = DEFAULT_PROBES
    posts: int = 9620
    seed: int = 1
    active_share: float = 0.2
    prefix: str = "bench"
    email_domain: str = "bench.invalid"
    password: str = "godwit-bench-password"  # noqa: S105 - every dataset member shares it

    def build_graph(self) -> FollowGraph:
        if self.graph == "edges":
            return load_edge_list(Path(self.edges_path), symmetric=self.symmetric)
        return synthetic(self.members, seed=self.seed, mean_out=self.mean_out, probes=self.probes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetSpec:
        values = dict(data)
        values["probes"] = tuple(values.get("probes", DEFAULT_PROBES))
        return cls(**values)


@dataclass(frozen=True)
class Dataset:
    spec: DatasetSpec
    graph: FollowGraph
    usernames: tuple[str, ...]
    posts: tuple[tuple[int, str], ...]  # (author, text), in posting order
    active: tuple[int, ...] = field(default=())

    def email(self, member: int) -> str:
        return f"{self.usernames[member]}@{self.spec.email_domain}"


def build(spec: DatasetSpec) -> Dataset:
    graph = spec.build_graph()
    usernames = tuple(f"{spec.prefix}{index}" for index in range(graph.members))
    rng = random.Random(spec.seed * 7919 + 1)
    posts = tuple(
        (author := rng.randrange(graph.members), status_text(rng, usernames, author))
        for _ in range(spec.posts)
    )
    count = max(1, round(spec.active_share * graph.members))
    active = tuple(
        sorted(random.Random(spec.seed * 104729 + 2).sample(range(graph.members), count))
    )
    return Dataset(spec, graph, usernames, posts, active)


def _word(rng: random.Random) -> str:
    return "".join(rng.choices(_ALPHANUMERIC, k=rng.randint(2, 10)))


def status_text(rng: random.Random, usernames: Sequence[str], author: int) -> str:
    """DSB-shaped text: ~256 characters of words, 0-3 mentions, 0-2 links."""
    parts: list[str] = []
    others = [m for m in rng.sample(range(len(usernames)), min(4, len(usernames))) if m != author]
    parts += [f"@{usernames[m]}" for m in others[: rng.randint(0, 3)]]
    words: list[str] = []
    length = 0
    while length < TEXT_CHARS:
        word = _word(rng)
        words.append(word)
        length += len(word) + 1
    parts.append(" ".join(words)[:TEXT_CHARS].strip())
    parts += [
        LINK_BASE + "".join(rng.choices(_ALPHANUMERIC, k=64)) for _ in range(rng.randint(0, 2))
    ]
    return " ".join(parts)
