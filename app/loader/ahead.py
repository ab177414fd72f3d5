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

One forked process and one pipe, no pool: the worker inherits the built gazetteer and every imported
module instead of building them again; only texts, the names taught and extractions cross the pipe,
sent and received by the loader's own thread (the standard library's process pool hands them over
through a thread of its own, and that thread's turns at the GIL cost the loader 5 ms an article).
"""

from __future__ import annotations

import ctypes
import importlib
import multiprocessing
import os
import queue
import signal
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any

from app.errors import Unprocessable
from app.extract.gazetteer import Entry, Gazetteer
from app.extract.pipeline import extract
from app.extract.types import Extraction
from app.loader.gazetteer_db import teach
from app.loader.sources import Failure, Source

DEPTH = 2  # articles asked for ahead of the one being written: the worker is the faster stage
WAIT_SECONDS = 120  # for one extraction; a worker that takes longer is stopped, the rest done here
PR_SET_PDEATHSIG = 1  # prctl(2)
RULES = ("app.extract.arabic", "app.extract.english")  # what app.extract.pipeline imports on first use


class Ahead:
    """Hands each item of a batch over with its extraction when the worker made it in time and with
    the gazetteer as it stands now; None otherwise (the caller extracts)."""

    def __init__(self, gazetteer: Gazetteer, *, prepare: Callable[[Source], Any], enabled: bool = True):
        self.gazetteer = gazetteer
        self.prepare = prepare  # Source → what the loader extracts (its text, date, language), or Unprocessable
        self.enabled = enabled and "fork" in multiprocessing.get_all_start_methods()
        self.conn: Connection | None = None
        self.worker: multiprocessing.process.BaseProcess | None = None
        self.generation = 0  # lessons given so far
        self.unsent: list[list[Entry]] = []  # lessons the worker has not been given yet
        self.used = self.redone = 0  # extractions taken from the worker, and made again here

    def taught(self, entries: list[Entry]) -> None:
        """The batch's gazetteer was just taught these entries (gazetteer_db.teach)."""
        self.generation += 1
        self.unsent.append(entries)

    def items(self, sources: Iterable[Source | Failure]) -> Iterator[tuple[Source | Failure, Extraction | None]]:
        """The batch's items in order, each with its extraction or None. Reads up to DEPTH items
        ahead of the one handed over (a file is still read only shortly before its turn)."""
        it = iter(sources)
        window = deque(islice(it, DEPTH + 1))
        if self.enabled and len(window) > 1:  # a batch of one is extracted here, without a worker
            self._start()
        asked = deque(self._ask(item) for item in window)
        try:
            while window:
                item, extraction = window.popleft(), self._result(asked.popleft())
                for nxt in islice(it, 1):
                    window.append(nxt)
                    asked.append(self._ask(nxt))
                yield item, extraction
        finally:
            self.close()

    def _start(self) -> None:
        # the rules of both languages, imported on first use (0.2 s each), are imported before the
        # fork: the worker starts with them, and an article extracted here again does not wait
        for module in RULES:
            importlib.import_module(module)
        context = multiprocessing.get_context("fork")
        self.conn, theirs = context.Pipe()
        self.worker = context.Process(target=_serve, args=(theirs, self.gazetteer, os.getpid()),
                                      name="peacetrack-extract", daemon=True)
        self.worker.start()
        theirs.close()

    def _ask(self, item: Source | Failure) -> int | None:
        """Send the item to the worker; the generation it was sent at, or None if not sent."""
        if self.conn is None or isinstance(item, Failure):
            return None
        try:
            data = self.prepare(item)
        except Unprocessable:
            return None  # the loader reports why
        try:
            self.conn.send((self.unsent, data.text, data.published, data.language))
        except Exception:  # noqa: BLE001 - the worker is gone, or a lesson would not pickle: extract here
            self.close()
            return None
        self.unsent = []
        return self.generation

    def _result(self, generation: int | None) -> Extraction | None:
        if generation is None:
            return None
        extraction = None
        try:
            if self.conn is not None and self.conn.poll(WAIT_SECONDS):
                extraction = self.conn.recv()  # the worker answers in the order it was asked
            else:
                self.close()
        except Exception:  # noqa: BLE001 - the worker is gone, or its answer would not unpickle
            self.close()
        if extraction is None or generation != self.generation:
            self.redone += 1
            return None
        self.used += 1
        return extraction

    def close(self) -> None:
        conn, worker, self.conn, self.worker = self.conn, self.worker, None, None
        if conn is not None:
            try:
                conn.send(None)
            except OSError:
                pass
            conn.close()
        if worker is not None:
            worker.join(1)
            if worker.is_alive():
                worker.kill()
                worker.join()


def _serve(conn: Connection, gazetteer: Gazetteer, parent: int) -> None:
    """The worker: extracts what it is sent, in order, answering None when a rule raises. A thread
    of its own reads what comes in, so the loader never waits on a full pipe to send."""
    _let_go_of_the_parents_connections(parent, keep=conn.fileno())
    # Ctrl-C in a terminal reaches the whole process group: the loader stops the batch and ends the
    # worker (or the worker dies with it); the worker printing its own KeyboardInterrupt would be noise
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    jobs: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        try:
            while (job := conn.recv()) is not None:
                jobs.put(job)
        except (EOFError, OSError):
            pass
        jobs.put(None)

    threading.Thread(target=read, daemon=True).start()
    while (job := jobs.get()) is not None:
        lessons, text, published, language = job
        for entries in lessons:
            teach(gazetteer, entries)
        try:
            out = extract(text, gazetteer=gazetteer, published=published, language=language)
        except Exception:  # noqa: BLE001 - extracted again by the loader, where it fails the article
            out = None
        try:
            conn.send(out)
        except OSError:
            return


def _let_go_of_the_parents_connections(parent: int, *, keep: int) -> None:
    """The fork copied the loader's open database connections. The worker never uses them, but
    while it held them a loader killed mid-batch would leave its connection, its transaction and
    the loaders' advisory lock open on the server (the next loader then waits its turn out). So the
    worker closes its copies of every socket but its own pipe, and dies with the loader (Linux's
    parent-death signal) instead of lingering."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        try:
            fd = int(name)
            if fd > 2 and fd != keep and stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:  # the listing's own descriptor, gone by now
            pass
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends when its pipe closes
        pass
    if os.getppid() != parent:  # the loader died before the signal was asked for
        os._exit(1)
