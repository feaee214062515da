"""freeze_startup_heap: what is alive after start-up leaves the collector's full passes."""

from __future__ import annotations

import gc
import weakref

from godwit.heap import freeze_startup_heap


class Node:
    def __init__(self) -> None:
        self.other: object = None


def test_the_start_up_heap_is_frozen_and_its_garbage_collected_first() -> None:
    garbage = Node()
    garbage.other = garbage  # a reference cycle: only the collector frees it
    gone = weakref.ref(garbage)
    del garbage
    kept = Node()
    try:
        freeze_startup_heap()
        assert gone() is None
        assert gc.get_freeze_count() > 0
        assert not any(obj is kept for obj in gc.get_objects())  # frozen: not walked
    finally:
        gc.unfreeze()  # this test process must not keep it
    assert any(obj is kept for obj in gc.get_objects())
