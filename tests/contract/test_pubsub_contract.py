"""One suite, every PubSub adapter: in-process memory always, Redis when GODWIT_TEST_REDIS_URL
is set (CI sets it; an unreachable Redis then fails these tests, it never skips them).

The Redis variant publishes through one adapter and listens through another with the same
namespace: two server processes sharing events.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from godwit.ports.pubsub import Message, PubSub, Subscription
from godwit.pubsub.memory import MemoryPubSub
from godwit.pubsub.redis import RedisPubSub
from tests.databases import REDIS_URL

QUIET_SECONDS = 0.3  # how long "nothing arrives" is watched for


@dataclass
class Pair:
    publisher: PubSub
    listener: PubSub


@pytest.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    if request.param == "memory":
        hub = MemoryPubSub()
        yield Pair(hub, hub)
        await hub.close()
        return
    if not REDIS_URL:
        pytest.skip("GODWIT_TEST_REDIS_URL is not set: the Redis adapter is tested in CI")
    namespace = f"godwit-test-{secrets.token_hex(6)}"
    publisher, listener = (RedisPubSub(REDIS_URL, namespace=namespace) for _ in range(2))
    yield Pair(publisher, listener)
    await publisher.close()
    await listener.close()


async def next_message(subscription: Subscription, within: float = 3.0) -> Message:
    iterator = aiter(subscription)
    return await asyncio.wait_for(anext(iterator), within)


async def received_within(subscription: Subscription, seconds: float) -> list[Message]:
    """Every message arriving in ``seconds`` (then the subscription is closed)."""
    got: list[Message] = []

    async def collect() -> None:
        async for message in subscription:
            got.append(message)

    task = asyncio.create_task(collect())
    await asyncio.sleep(seconds)
    await subscription.close()
    await asyncio.wait_for(task, 3.0)
    return got


async def test_a_subscriber_receives_what_is_published_on_its_channel(pair: Pair) -> None:
    subscription = await pair.listener.subscribe(["user:1"])
    await pair.publisher.publish("user:1", "hello")
    message = await next_message(subscription)
    assert message == Message("user:1", b"hello")
    await subscription.close()


async def test_bytes_and_text_arrive_as_bytes(pair: Pair) -> None:
    subscription = await pair.listener.subscribe(["public"])
    await pair.publisher.publish("public", b"\x00raw")
    await pair.publisher.publish("public", "texte é")
    assert (await next_message(subscription)).data == b"\x00raw"
    assert (await next_message(subscription)).data == "texte é".encode()
    await subscription.close()


async def test_other_channels_are_not_delivered(pair: Pair) -> None:
    subscription = await pair.listener.subscribe(["user:1"])
    await pair.publisher.publish("user:2", "not for you")
    await pair.publisher.publish("user:1", "for you")
    got = await received_within(subscription, QUIET_SECONDS)
    assert got == [Message("user:1", b"for you")]


async def test_subscribe_more_and_unsubscribe_on_one_subscription(pair: Pair) -> None:
    subscription = await pair.listener.subscribe(["a"])
    await subscription.subscribe(["b"])
    await pair.publisher.publish("b", "1")
    assert await next_message(subscription) == Message("b", b"1")
    await subscription.unsubscribe(["a"])
    await pair.publisher.publish("a", "dropped")
    await pair.publisher.publish("b", "2")
    got = await received_within(subscription, QUIET_SECONDS)
    assert got == [Message("b", b"2")]


async def test_every_subscriber_of_a_channel_gets_each_message(pair: Pair) -> None:
    first = await pair.listener.subscribe(["public"])
    second = await pair.listener.subscribe(["public", "other"])
    await pair.publisher.publish("public", "both")
    assert (await next_message(first)).data == b"both"
    assert (await next_message(second)).data == b"both"
    await first.close()
    await second.close()


async def test_closing_ends_iteration_and_stops_delivery(pair: Pair) -> None:
    subscription = await pair.listener.subscribe(["c"])
    waiting = asyncio.create_task(next_message(subscription, within=5.0))
    await asyncio.sleep(0.05)
    await subscription.close()
    with pytest.raises(StopAsyncIteration):
        await waiting
    still = await pair.listener.subscribe(["c"])
    await pair.publisher.publish("c", "later")
    assert (await next_message(still)).data == b"later"
    await still.close()


async def test_order_is_kept_on_a_channel(pair: Pair) -> None:
    subscription = await pair.listener.subscribe(["ordered"])
    for number in range(20):
        await pair.publisher.publish("ordered", str(number))
    got = [int((await next_message(subscription)).data) for _ in range(20)]
    assert got == list(range(20))
    await subscription.close()
