"""The cyclic garbage collector, paused while a request builds a large, acyclic object graph."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_gc_pauses = [0, False]  # pauses running; whether the collector was on


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a request builds many objects at once.

    A 10 000-row batch holds a few hundred thousand small objects (the rows as parsed, validated
    and bound) until it ends, and a 10 000-indicator scorecard as many (rows, rule results,
    explanations). They are acyclic, freed by reference counting, but while they live each full
    collection walks them all again; measured, that was a fifth to a third of a batch (issue 18)
    and 1.3 s of a 5.5 s scorecard (issue 17, README). Collection resumes when the last pause
    ends (requests may interleave); cycles made meanwhile, by this or any other request, are
    collected then. A collector already off stays off.
    """
    if _gc_pauses[0] == 0:
        _gc_pauses[1] = gc.isenabled()
        gc.disable()
    _gc_pauses[0] += 1
    try:
        yield
    finally:
        _gc_pauses[0] -= 1
        if _gc_pauses[0] == 0 and _gc_pauses[1]:
            gc.enable()
