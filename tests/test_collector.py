"""The cyclic collector is paused while batches and scorecards build, and resumes when the last
pause ends."""

import gc

from app.collector import cyclic_gc_paused


def test_interleaved_batches_resume_collection_only_when_the_last_ends():
    assert gc.isenabled()
    first, second = cyclic_gc_paused(), cyclic_gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
