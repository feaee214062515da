"""Follow graphs for a benchmark dataset: the Reed98 edge list or a synthetic power law.

Members are numbered 0..members-1; an edge (a, b) means a follows b. Both builders are
deterministic: the same file, or the same parameters and seed, give the same graph.

The synthetic graph (spec tier L, and any size in between) is built from three parts:

* **ordinary members** follow a lognormal number of accounts (mean ``mean_out``), picked
  with Zipf-Mandelbrot weights ``(rank + offset) ** -alpha`` over a shuffled popularity
  order. Pure Zipf with alpha ~ 1.1 would give the top ordinary account about an eighth of all
  follows, i.e. almost every member; the offset is the smallest that keeps its expected
  followers at or below half a "popular" account's, so the tail stays a power law while
  the head is the explicitly planted accounts below. (At 20k members that bound is 100
  followers, 2.5x the mean, so the ordinary tail is mild: the most followed tenth gets
  about 21 % of ordinary follows. At 200k the bound is 1,000 and the tail longer);
* **one celebrity** followed by ``celebrity_share`` of the members and ``popular``
  accounts followed by ``popular_share`` each (spec: 10 % and ten at 1 %);
* **probe accounts** followed by exactly the counts asked for (10, 1k, 10k by default,
  those below the member count), which the fan-out phase posts from.
"""

from __future__ import annotations

import itertools
import math
import random
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PROBES = (10, 1000, 10_000)


@dataclass(frozen=True)
class FollowGraph:
    members: int
    sources: array[int]  # follower of each edge
    targets: array[int]  # followed account of each edge
    # Member index -> role, for the planted accounts ("celebrity", "popular", "probe:1000").
    roles: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.sources)

    def edges(self) -> Iterator[tuple[int, int]]:
        return zip(self.sources, self.targets, strict=True)

    def follower_counts(self) -> list[int]:
        counts = [0] * self.members
        for target in self.targets:
            counts[target] += 1
        return counts

    def followers_of(self, member: int) -> list[int]:
        return [s for s, t in self.edges() if t == member]


def _graph(members: int, edges: Sequence[tuple[int, int]], roles: dict[int, str]) -> FollowGraph:
    return FollowGraph(
        members,
        array("i", (a for a, _ in edges)),
        array("i", (b for _, b in edges)),
        roles,
    )


def load_edge_list(path: Path, *, symmetric: bool = True) -> FollowGraph:
    """An ``a b`` edge list (``%`` or ``#`` comments). Ids are renumbered densely in
    numeric order; ``symmetric`` makes each undirected edge two follows (as DSB does for
    Reed98: 18,812 friendships become 37,624 follows)."""
    pairs: set[tuple[int, int]] = set()
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) < 2 or line.lstrip().startswith(("%", "#")):
            continue
        a, b = int(fields[0]), int(fields[1])
        if a == b:
            continue
        pairs.add((a, b))
        if symmetric:
            pairs.add((b, a))
    ids = sorted({n for pair in pairs for n in pair})
    dense = {original: index for index, original in enumerate(ids)}
    edges = sorted((dense[a], dense[b]) for a, b in pairs)
    return _graph(len(ids), edges, {})


def _zipf_offset(ordinary: int, expected_edges: float, alpha: float, ceiling: float) -> float:
    """Smallest offset k (to 1 %) for which rank 1's expected in-degree is <= ceiling."""

    def top_share(k: float) -> float:
        total = sum((r + k) ** -alpha for r in range(1, ordinary + 1))
        return float(expected_edges * (1 + k) ** -alpha / total)

    if ordinary < 2 or top_share(0.0) <= ceiling:
        return 0.0
    low, high = 0.0, float(ordinary)
    while high - low > max(0.01 * high, 0.5):
        middle = (low + high) / 2
        if top_share(middle) > ceiling:
            low = middle
        else:
            high = middle
    return high


def synthetic(
    members: int,
    *,
    seed: int,
    mean_out: float = 40.0,
    sigma: float = 1.0,
    alpha: float = 1.1,
    celebrity_share: float = 0.10,
    popular: int = 10,
    popular_share: float = 0.01,
    probes: Sequence[int] = DEFAULT_PROBES,
) -> FollowGraph:
    if members < 3:
        raise ValueError("a synthetic graph needs at least 3 members")
    rng = random.Random(seed)
    order = list(range(members))
    rng.shuffle(order)
    planted: list[tuple[str, int]] = [("celebrity", math.ceil(celebrity_share * members))]
    # Small graphs keep most members ordinary: at most one popular account per 20.
    planted += [("popular", math.ceil(popular_share * members))] * min(popular, members // 20)
    planted += [(f"probe:{count}", count) for count in probes if count < members]
    planted = planted[: max(0, members - 2)]  # leave at least two ordinary members
    roles = {order[i]: role for i, (role, _) in enumerate(planted)}
    ordinary = order[len(planted) :]

    edges: list[tuple[int, int]] = []
    for index, (_, count) in enumerate(planted):
        account = order[index]
        others = [m for m in rng.sample(range(members), min(members, count + 1)) if m != account]
        edges += [(follower, account) for follower in others[:count]]

    # Everyone's own follows: lognormal out-degree, Zipf-Mandelbrot choice among ordinary
    # members (so the planted accounts keep exactly their planted follower counts).
    mu = math.log(mean_out) - sigma**2 / 2  # so the lognormal's mean is mean_out
    degrees = [min(len(ordinary) - 1, max(1, round(rng.lognormvariate(mu, sigma)))) for _ in order]
    ceiling = max(2.0, popular_share * members / 2)
    offset = _zipf_offset(len(ordinary), float(sum(degrees)), alpha, ceiling)
    weights = [(rank + offset) ** -alpha for rank in range(1, len(ordinary) + 1)]
    cumulative = list(itertools.accumulate(weights))
    for follower, degree in zip(order, degrees, strict=True):
        chosen: set[int] = set()
        for _ in range(4):  # a few weighted rounds, then fill uniformly (tiny graphs)
            for pick in rng.choices(ordinary, cum_weights=cumulative, k=degree - len(chosen)):
                if pick != follower:
                    chosen.add(pick)
            if len(chosen) >= degree:
                break
        while len(chosen) < degree:
            pick = rng.choice(ordinary)
            if pick != follower:
                chosen.add(pick)
        edges += [(follower, target) for target in sorted(chosen)]
    return _graph(members, edges, roles)


def probe_authors(graph: FollowGraph, wanted: Sequence[int]) -> list[tuple[int, int, int]]:
    """(wanted followers, member, actual followers) for each wanted count: a planted probe
    account when there is one, else the member whose follower count is closest."""
    counts = graph.follower_counts()
    chosen: list[tuple[int, int, int]] = []
    used: set[int] = set()
    for want in wanted:
        planted = [m for m, role in graph.roles.items() if role == f"probe:{want}"]
        candidates = planted or [m for m in range(graph.members) if m not in used]
        if not candidates:
            continue
        member = min(candidates, key=lambda m: (abs(counts[m] - want), m))
        used.add(member)
        chosen.append((want, member, counts[member]))
    return chosen
