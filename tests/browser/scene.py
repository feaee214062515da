"""A lived-in corner of the demo community for the tour of the main pages.

Robin, a member with an avatar, a header, a bio and profile fields, follows a few demo
members (so the home timeline is full), posts a picture with alt text and starts a thread
that Finch answers; Finch follows Robin, favourites and mentions Robin (notifications);
Finch reports a troll's post, which a moderator then finds in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.browser.community import Community, Member
from tests.browser.pictures import picture
from tests.support.waiting import eventually

FOLLOWED_DEMO_MEMBERS = 8
HOME_POSTS_WANTED = 12
TAG = "birdwatching"
SEARCH_TERM = "bird"


@dataclass(frozen=True)
class Scene:
    robin: Member
    finch: Member
    troll: Member
    moderator: Member
    thread_path: str
    tag: str = TAG
    search_term: str = SEARCH_TERM


def build_scene(community: Community, moderator: Member) -> Scene:
    robin = community.join("robin_hart", unique=False)
    community.update_profile(
        robin,
        display_name="Robin Hart",
        note=(
            "Birdwatcher on the dunes, early riser, tea over coffee. "
            f"Posting notes from walks along the coast. #{TAG}"
        ),
        fields=[("Home", "The North Sea coast"), ("Pronouns", "she/her")],
        avatar=picture(256, 256, "#2f7d6d", "#9ad0c2", sun="#f4e9cd"),
        header=picture(1200, 400, "#1d3557", "#a8dadc", sun="#f1faee"),
    )
    finch = community.join("finch_okafor", display_name="Finch Okafor", unique=False)
    finch_picture = picture(256, 256, "#6d597a", "#e56b6f", sun="#f8edeb")
    community.update_profile(finch, avatar=finch_picture)
    troll = community.join("trouble_maker", display_name="Trouble Maker", unique=False)

    # The demo members who posted most recently: their posts fill Robin's home timeline.
    authors = list(dict.fromkeys(status["account"]["id"] for status in community.public_local()))
    for account_id in authors[:FOLLOWED_DEMO_MEMBERS]:
        community.follow(robin, account_id)
    community.follow(robin, finch)
    community.follow(finch, robin)

    question = community.post(
        robin, f"Which field guide do you carry for shorebirds? Mine is falling apart. #{TAG}"
    )
    answer = community.post(
        finch,
        f"@{robin.username} The Collins guide, every time. The maps alone are worth it.",
        in_reply_to_id=question["id"],
    )
    community.post(
        robin,
        f"@{finch.username} Thank you! Ordering it today.",
        in_reply_to_id=answer["id"],
    )
    community.favourite(finch, question["id"])
    # Last, so that it tops Robin's home timeline (the README's screenshot).
    image = community.upload_image(
        robin,
        picture(800, 500, "#ffb347", "#ffcc33", sun="#fff8e7"),
        "A low orange sun over the dunes, with the sea as a thin line on the horizon",
    )
    sunrise = community.post(
        robin,
        f"Sunrise over the dunes this morning. Twelve oystercatchers on the beach. #{TAG}",
        media_ids=[image["id"]],
    )

    nasty = community.post(troll, "Birdwatchers are all idiots and should stay home.")
    community.report(finch, troll.account_id, [nasty["id"]], "Insults a whole group of members.")

    # Fan-out and the backfill after each follow are background jobs: wait for them.
    eventually(
        lambda: [status["id"] for status in community.home_timeline(robin)],
        lambda ids: len(ids) >= HOME_POSTS_WANTED and ids[0] == sunrise["id"],
        what=f"{HOME_POSTS_WANTED} posts in Robin's home timeline, the sunrise first",
        timeout=30.0,
        interval=0.25,
    )
    return Scene(
        robin=robin,
        finch=finch,
        troll=troll,
        moderator=moderator,
        thread_path=f"/@{robin.username}/{question['id']}",
    )
