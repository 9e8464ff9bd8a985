"""Rendered reads kept per worker and checked, on every request, against a change counter.

Frontends read the same few answers on every page view, and most of a read's cost is computing
and serialising an answer that has not changed since the last request (README, Performance).

* **The counter.** ``data_version`` holds one number per municipality. Every transaction of a
  write session bumps its municipality's number just before it commits, in the same transaction
  (:func:`app.readcache.counter.install_change_counter`). A system session acting in no one
  municipality (operator commands) bumps every municipality's; a session that is neither a
  municipality's nor the system's cannot change data (the tenant guard fails closed) and bumps
  none — a request's own bookkeeping before it knows its caller, say.
* **The check.** A read of an opted-in route authenticates and authorises as always, then reads
  its municipality's number, then looks for an answer rendered at that number for the same
  request. The number is read before any data, so an answer kept under number *n* was computed
  from data at least as new as *n*: a write committed through any worker is seen by the next read
  through every worker (read-your-writes), and nothing is ever served from before a write the
  reader could know of.
* **What an answer is kept under.** The route, the raw path and query string, ``Accept``, the
  caller's municipality, role, permissions and org unit, and today's date (for reads whose dates
  default to today). Never the caller's identity: two viewers of one municipality share answers.
* **What is kept.** Only 200s with a whole body, up to a size bound, in a bounded per-process
  memory (``read_cache_entries``, ``read_cache_megabytes``; 0 entries turns it off).
* **What it asks of writers.** Every change must go through a write session — the service's, the
  CLI's and the demo loader's all do. A change made beside the service (psql, another program)
  is not seen by a worker until the next write of that municipality or the worker's restart.
"""
