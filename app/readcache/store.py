"""A bounded, least-recently-used memory of rendered answers, one per worker process."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    """An answer as the route rendered it, and the counter it was rendered at."""

    version: int
    status_code: int
    raw_headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class RenderedAnswers:
    """At most ``max_entries`` answers and ``max_bytes`` of bodies; the least recently used go
    first. An answer larger than an eighth of the bytes is not kept, so one export-sized answer
    cannot empty the memory."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._answers: OrderedDict[Hashable, Rendered] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Hashable, version: int) -> Rendered | None:
        """The answer kept under ``key`` if it was rendered at ``version``."""
        answer = self._answers.get(key)
        if answer is None or answer.version != version:
            return None
        self._answers.move_to_end(key)
        return answer

    def put(self, key: Hashable, answer: Rendered) -> None:
        if len(answer.body) > self.max_bytes // 8:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self._answers[key] = answer
        self.bytes += len(answer.body)
        while len(self._answers) > self.max_entries or self.bytes > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self.bytes -= len(dropped.body)
