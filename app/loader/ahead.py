"""Extraction ahead of loading, in a second process.

In a batch, stage 2 (extract: pure Python, no database) takes about a third of the time and stage 3
(load) mostly waits on the database and the unit of work. A worker process, forked once the batch's
gazetteer is built, extracts the next articles while this one writes the current one: the two
stages run on two cores.

Exactly what one process would load: the worker's gazetteer is a copy of the batch's taken when it
forks, and it is taught every name the batch's gazetteer is taught (a committed article's new names),
in the same order, before its next extraction. An extraction made before the latest lesson reached
the worker is dropped and the article is extracted here again, so a batch of articles full of new
names gains little (each lesson costs the `DEPTH` + 1 articles already asked for), and a batch of
articles naming what the record already knows gains the most. Anything that goes wrong in the worker
(a crash, a rule that raises) also falls back to extracting here, which then raises as it would have.

The standard library's process pool with the fork start method: the worker inherits the built
gazetteer and every imported module instead of building them again, and only texts, the names
taught and extractions cross between the processes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from app.errors import Unprocessable
from app.extract.gazetteer import Gazetteer
from app.extract.pipeline import extract
from app.extract.types import Extraction
from app.loader.gazetteer_db import teach
from app.loader.sources import Failure, Source

DEPTH = 2  # articles asked for ahead of the one being written: the worker is the faster stage
PR_SET_PDEATHSIG = 1  # prctl(2)

_gazetteer: Gazetteer | None = None  # the worker's copy


def _start(gazetteer: Gazetteer, parent: int) -> None:
    global _gazetteer
    _gazetteer = gazetteer
    _let_go_of_the_parents_connections(parent)


def _let_go_of_the_parents_connections(parent: int) -> None:
    """The fork copied the loader's open database connections. The worker never uses them, but
    while it held them a loader killed mid-batch would leave its connection, its transaction and
    the loaders' advisory lock open on the server (the next loader then waits its turn out). So the
    worker closes its copies of every socket (the pool's own channels are pipes), and dies with the
    loader (Linux's parent-death signal) instead of lingering idle."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        try:
            fd = int(name)
            if fd > 2 and stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:  # the listing's own descriptor, gone by now
            pass
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends when the pool's pipes close
        pass
    if os.getppid() != parent:  # the loader died before the signal was asked for
        os._exit(1)


def _extract(lessons: list[list[dict[str, Any]]], text: str, published, language) -> Extraction:
    for records in lessons:
        teach(_gazetteer, records)
    return extract(text, gazetteer=_gazetteer, published=published, language=language)


class Ahead:
    """Hands each item of a batch over with its extraction when the worker made it in time and with
    the gazetteer as it stands now; None otherwise (the caller extracts)."""

    def __init__(self, gazetteer: Gazetteer, *, prepare: Callable[[Source], Any], enabled: bool = True):
        self.gazetteer = gazetteer
        self.prepare = prepare  # Source → what the loader extracts (its text, date, language), or Unprocessable
        self.enabled = enabled and "fork" in multiprocessing.get_all_start_methods()
        self.pool: ProcessPoolExecutor | None = None
        self.generation = 0  # lessons given so far
        self.unsent: list[list[dict[str, Any]]] = []  # lessons the worker has not been given yet
        self.used = self.redone = 0  # extractions taken from the worker, and made again here

    def taught(self, records: list[dict[str, Any]]) -> None:
        """The batch's gazetteer was just taught these records (gazetteer_db.teach)."""
        self.generation += 1
        self.unsent.append(records)

    def items(self, sources: Iterable[Source | Failure]) -> Iterator[tuple[Source | Failure, Extraction | None]]:
        """The batch's items in order, each with its extraction or None. Reads up to DEPTH items
        ahead of the one handed over (a file is still read only shortly before its turn)."""
        it = iter(sources)
        window = deque(islice(it, DEPTH + 1))
        if self.enabled and len(window) > 1:  # a batch of one is extracted here, without a worker
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start, initargs=(self.gazetteer, os.getpid()))
        asked = deque(self._ask(item) for item in window)
        try:
            while window:
                item, ask = window.popleft(), asked.popleft()
                for nxt in islice(it, 1):
                    window.append(nxt)
                    asked.append(self._ask(nxt))
                yield item, self._result(ask)
        finally:
            self.close()

    def _ask(self, item: Source | Failure) -> tuple[int, Future] | None:
        if isinstance(item, Failure) or self.pool is None:
            return None
        try:
            data = self.prepare(item)
        except Unprocessable:
            return None  # the loader reports why
        try:
            future = self.pool.submit(_extract, self.unsent, data.text, data.published, data.language)
        except Exception:  # noqa: BLE001 - a broken pool: the rest is extracted here
            self.close()
            return None
        self.unsent = []
        return self.generation, future

    def _result(self, asked: tuple[int, Future] | None) -> Extraction | None:
        if asked is None:
            return None
        generation, future = asked
        try:
            extraction = future.result()
        except Exception:  # noqa: BLE001 - extracted here again, where a failing rule fails the article
            extraction = None
        if extraction is None or generation != self.generation:
            self.redone += 1
            return None
        self.used += 1
        return extraction

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
