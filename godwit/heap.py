"""The process heap after start-up, frozen out of the garbage collector's full passes.

Everything alive once a process has started (modules, classes, tables, compiled statements,
templates: about 200,000 objects) lives as long as the process, yet every full collection
walked all of it: a pause of 100-200 ms on this machine for every request and stream of the
process, whenever enough new objects had piled up (a burst of stream deliveries did it).
Frozen, full passes walk only what came later. Called once by each serving process (not by
tests, which build many apps in one process).
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    gc.collect()  # what start-up left as garbage goes first, not into the frozen set
    gc.freeze()
