"""A believable community, generated from a seed: members, a skewed follow graph, posts,
replies, reblogs and favourites. Pure: no I/O, the same seed gives the same community.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import re
from dataclasses import dataclass

from godwit.demo import vocabulary as words

_USERNAME_UNSAFE = re.compile(r"[^a-z0-9_]")


@dataclass(frozen=True, slots=True)
class DemoMember:
    username: str
    display_name: str
    bio: str
    joined: dt.datetime  # before the posting window opens, so every follow precedes every post


@dataclass(frozen=True, slots=True)
class DemoFollow:
    follower: int  # index into Community.members
    followed: int
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class DemoPost:
    author: int  # index into Community.members
    text: str
    at: dt.datetime
    reply_to: int | None = None  # index of an earlier post in Community.posts


@dataclass(frozen=True, slots=True)
class DemoReaction:
    member: int
    post: int
    kind: str  # "favourite" or "reblog"
    at: dt.datetime  # some time after the post, never in the future


@dataclass(frozen=True, slots=True)
class Community:
    members: tuple[DemoMember, ...]
    follows: tuple[DemoFollow, ...]
    posts: tuple[DemoPost, ...]  # in chronological order
    reactions: tuple[DemoReaction, ...]


def generate(
    *,
    seed: int = 2021,
    members: int = 200,
    posts: int = 5000,
    now: dt.datetime | None = None,
    days: int = 28,
) -> Community:
    if members < 2:
        raise ValueError("a community needs at least two members")
    rng = random.Random(seed)
    end = now or dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(days=days)
    people = _members(rng, members, start)
    # Popularity is heavy-tailed: a few accounts attract most follows (and reactions).
    popularity = [rng.paretovariate(1.2) for _ in range(members)]
    follows = _follows(rng, popularity, people, start)
    activity = [rng.lognormvariate(0, 1) for _ in range(members)]
    post_list = _posts(rng, people, activity, posts, end, days)
    reactions = _reactions(rng, post_list, popularity, follows, members, end)
    return Community(tuple(people), tuple(follows), tuple(post_list), tuple(reactions))


def _members(rng: random.Random, count: int, start: dt.datetime) -> list[DemoMember]:
    taken: set[str] = set()
    people: list[DemoMember] = []
    while len(people) < count:
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        username = _username(rng, first, last)
        if username in taken or len(username) > 30:
            continue
        taken.add(username)
        display = rng.choice(words.DISPLAY_NAME_STYLES).format(
            first=first, last=last, initial=last[0], place=rng.choice(words.PLACES).title()
        )
        interest, interest2 = rng.sample(words.INTERESTS, 2)
        bio = rng.choice(words.BIO_TEMPLATES).format(
            role=rng.choice(words.ROLES).capitalize(),
            interest=interest,
            interest2=interest2,
            place=rng.choice(words.PLACES),
        )
        # Joined over the two months before the posting window, a few days' margin left
        # for following each other before the first post.
        joined = start - dt.timedelta(days=3) - dt.timedelta(seconds=rng.uniform(0, 60 * 86_400))
        people.append(DemoMember(username, display, bio, joined))
    return people


def _username(rng: random.Random, first: str, last: str) -> str:
    raw = rng.choice(words.USERNAME_STYLES).format(first=first, last=last, n=rng.randint(1, 99))
    ascii_only = raw.lower().replace("é", "e").replace("ë", "e")
    return _USERNAME_UNSAFE.sub("", ascii_only)


def _follows(
    rng: random.Random, popularity: list[float], people: list[DemoMember], start: dt.datetime
) -> list[DemoFollow]:
    count = len(popularity)
    cumulative = list(itertools.accumulate(popularity))
    edges: list[DemoFollow] = []
    for follower in range(count):
        # Out-degree is lognormal: most follow a few dozen, some follow many.
        degree = min(count - 1, max(1, round(rng.lognormvariate(math.log(15), 0.8))))
        chosen: set[int] = set()
        while len(chosen) < degree:
            followed = rng.choices(range(count), cum_weights=cumulative)[0]
            if followed != follower:
                chosen.add(followed)
        for followed in sorted(chosen):
            # Once both have joined, and before the posting window opens.
            earliest = max(people[follower].joined, people[followed].joined)
            seconds = rng.uniform(0, (start - earliest).total_seconds())
            edges.append(DemoFollow(follower, followed, earliest + dt.timedelta(seconds=seconds)))
    return edges


def fill_template(rng: random.Random, template: str, author: str = "") -> str:
    """A post or reply from one of the vocabulary's templates."""
    return template.format(
        bird=rng.choice(words.TOPICS["birds"]),
        food=rng.choice(words.TOPICS["food"]),
        book=rng.choice(words.TOPICS["books"]),
        weather_cap=rng.choice(words.TOPICS["weather"]).capitalize(),
        place=rng.choice(words.PLACES),
        interest=rng.choice(words.INTERESTS),
        author=author,
    )


def _posts(
    rng: random.Random,
    people: list[DemoMember],
    activity: list[float],
    count: int,
    end: dt.datetime,
    days: int,
) -> list[DemoPost]:
    span = days * 86_400
    offsets = sorted(rng.uniform(0, span) for _ in range(count))
    result: list[DemoPost] = []
    cumulative = list(itertools.accumulate(activity))
    for offset in offsets:
        author = rng.choices(range(len(people)), cum_weights=cumulative)[0]
        at = end - dt.timedelta(seconds=span - offset)
        # Replies go to one of the last few dozen posts, never the author's own.
        recent = range(max(0, len(result) - 60), len(result))
        candidates = [i for i in recent if result[i].author != author]
        if candidates and rng.random() < 0.25:
            parent = rng.choice(candidates)
            mention = people[result[parent].author].username
            text = fill_template(rng, rng.choice(words.REPLY_TEMPLATES), mention)
            result.append(DemoPost(author=author, text=text, at=at, reply_to=parent))
            continue
        text = fill_template(rng, rng.choice(words.POST_TEMPLATES))
        tags = rng.sample(words.HASHTAGS, k=rng.choice((0, 0, 1, 1, 2)))
        if tags:
            text += "\n\n" + " ".join(f"#{tag}" for tag in tags)
        result.append(DemoPost(author=author, text=text, at=at))
    return result


def _reactions(
    rng: random.Random,
    posts: list[DemoPost],
    popularity: list[float],
    follows: list[DemoFollow],
    member_count: int,
    end: dt.datetime,
) -> list[DemoReaction]:
    followers: dict[int, list[int]] = {}
    for follow in follows:
        followers.setdefault(follow.followed, []).append(follow.follower)

    def later(post: DemoPost) -> dt.datetime:
        # Most reactions come within hours of the post; none after the end of the window.
        return min(end, post.at + dt.timedelta(seconds=rng.expovariate(1 / 7200) + 30))

    top = max(popularity)
    reactions: list[DemoReaction] = []
    for index, post in enumerate(posts):
        audience = followers.get(post.author) or list(range(member_count))
        # Popular authors get more likes; replies fewer.
        expected = 1.2 * (1 + 4 * popularity[post.author] / top)
        if post.reply_to is not None:
            expected /= 3
        likers = {rng.choice(audience) for _ in range(int(rng.expovariate(1 / expected)))}
        reactions.extend(DemoReaction(m, index, "favourite", later(post)) for m in sorted(likers))
        if post.reply_to is None and rng.random() < 0.12:
            reblogger = rng.choice(audience)
            if reblogger != post.author:
                reactions.append(DemoReaction(reblogger, index, "reblog", later(post)))
    return reactions
