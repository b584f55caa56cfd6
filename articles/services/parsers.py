"""Parser worker processes: they end with their parent, and a killed one costs no file.

Each page is parsed behind an error boundary: a refusal of the core (IngestError) is the file's
reason; a page that takes longer than the time limit is refused; any other exception becomes the
file's error too, named by its type, with the traceback sent back to the parent for the log.
"""
from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from articles.ingest import ArticleDraft, Gazetteer, IngestError, Vocabulary, parse

from .inputs import exception_name

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h

PAGES_A_TASK = 8  # pages sent to a parser process together

# (file name, draft or None, reason or None, traceback text or None)
ParseResult = tuple[str, ArticleDraft | None, str | None, str | None]

_worker: dict = {}


def _watch_parent(parent: int) -> None:
    def run():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=run, name="parent-watchdog", daemon=True).start()


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux), else watch the parent."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
        except (OSError, AttributeError):
            armed = False
    if not armed:
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _init_worker(parent: int | None, rows, vocabulary: Vocabulary, seconds: float | None = None) -> None:
    """Build the gazetteer once per process, from plain rows sent by the parent."""
    if parent is not None:
        _die_with_parent(parent)
        # A forked worker would go on running its parent's profiler (bench/import.py --profile): the
        # parsers' own time, not cProfile's on top of it (it doubled what a page cost them).
        sys.setprofile(None)
        # Ctrl-C and SIGTERM are the parent's to handle: it marks the batch and stops the workers.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker["gazetteer"] = Gazetteer.from_rows(*rows)
    _worker["vocabulary"] = vocabulary
    _worker["seconds"] = seconds
    _warm_up()


_WARM_UP_PAGE = ("首页 | 新闻\n\n测试标题\n\n2024-01-01 10:00 来源：新华网\n\n"
                 "杭州市今天召开会议，部署全年工作。").encode()


def _warm_up() -> None:
    """Load the segmenter's dictionary and the script converter before the first page, so that its
    time limit measures the page, not the loading (about a second)."""
    try:
        parse(_WARM_UP_PAGE, "warm-up.txt", gazetteer=_worker["gazetteer"], vocabulary=_worker["vocabulary"],
              with_index_tokens=True)
    except Exception:  # the warm-up is an optimisation: a real page will report what is wrong
        logger.debug("parser warm-up failed", exc_info=True)


class ParseTimeout(BaseException):
    """A page that took too long; a BaseException so that no `except Exception` in the core keeps it."""


@contextmanager
def _time_limit(seconds: float | None):
    """Interrupt the page after `seconds` of CPU time (where signals can: a main thread on Unix).

    CPU time, not wall-clock time: a busy machine slows every page down, and an ordinary page must not be
    refused because the machine was loaded; a pathological page burns its CPU whatever the load."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise ParseTimeout

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def parse_guarded(name: str, data: bytes, *, gazetteer: Gazetteer, vocabulary: Vocabulary,
                  seconds: float | None = None, with_index_tokens: bool = False) -> ParseResult:
    """parse() behind the file's error boundary: never raises for a bad page."""
    started = time.process_time()
    try:
        with _time_limit(seconds):
            draft = parse(data, name, gazetteer=gazetteer, vocabulary=vocabulary, with_index_tokens=with_index_tokens)
        if seconds and time.process_time() - started > seconds:
            raise ParseTimeout  # the interrupt fell inside a C call that swallowed it: the page is still too slow
    except IngestError as exc:
        return name, None, str(exc), None
    except RecursionError:  # pathological nesting in saved HTML
        return name, None, f"{name}: page too deeply nested to read", None
    except ParseTimeout:
        return name, None, f"{name}: took longer than {seconds:g} s to read (a pathological page): refused", None
    except Exception as exc:  # a bug meets a page: the file fails, the batch goes on, the log gets the traceback
        return name, None, unexpected(name, "parsing", exc), traceback.format_exc()
    return name, draft, None, None


def parse_job(job: tuple[str, bytes]) -> ParseResult:
    """Parse one page in a worker (and segment it for the search index there too)."""
    name, data = job
    return parse_guarded(name, data, gazetteer=_worker["gazetteer"], vocabulary=_worker["vocabulary"],
                         seconds=_worker.get("seconds"), with_index_tokens=True)


def parse_jobs(jobs: tuple[tuple[str, bytes], ...]) -> list[ParseResult]:
    """Parse a few pages in a worker, one task (each page still behind its own error boundary)."""
    return [parse_job(job) for job in jobs]


def unexpected(name: str, step: str, exc: BaseException) -> str:
    return f"{name}: unexpected {exception_name(exc)} while {step}: {exc} (traceback in the log)"


class Parsers:
    """Parse in `workers` processes (or in this one when workers <= 1).

    When a worker dies (killed, out of memory) the pool is started again and the files it lost are
    parsed again one at a time, so a page that kills its parser every time is named alone.
    """

    def __init__(self, workers: int, rows, vocabulary: Vocabulary, *, seconds: float | None = None):
        self.workers = workers
        self.initargs = (os.getpid(), rows, vocabulary, seconds)
        self.deaths = 0
        self.pool = self._start() if workers > 1 else None
        if self.pool is None:
            _init_worker(None, rows, vocabulary, seconds)

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=self.initargs)

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        if self.pool is broken:
            self.deaths += 1
            logger.warning("a parser process died (killed, or out of memory); starting the parsers again")
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start()

    def _submit(self, jobs: tuple) -> tuple[ProcessPoolExecutor, Future]:
        pool = self.pool
        try:
            return pool, pool.submit(parse_jobs, jobs)
        except BrokenProcessPool:
            self._restart(pool)
            return self.pool, self.pool.submit(parse_jobs, jobs)

    def submit(self, jobs: list[tuple[str, bytes]]) -> list:
        """Start parsing; the pool's futures (a few pages each), or the jobs themselves when parsing in this process.

        A task of several pages costs this process a fifth of what a task a page does (the pool's
        futures, queues and wake-ups), and a chunk still gives every worker several tasks.
        """
        if self.pool is None:
            return [((job,), None, None) for job in jobs]
        size = max(1, min(PAGES_A_TASK, -(-len(jobs) // (2 * self.workers))))
        return [(group, *self._submit(group)) for group in (tuple(jobs[i:i + size]) for i in range(0, len(jobs), size))]

    def results(self, submitted: list) -> list[ParseResult]:
        """The results of submit(), in order. The pages of a task whose worker died are parsed again
        one a task, so a page that kills its parser every time is named alone."""
        out: list[ParseResult | None] = []
        lost = []
        for jobs, pool, future in submitted:
            if future is None:
                out.extend(parse_job(job) for job in jobs)
                continue
            try:
                out.extend(future.result())
            except BrokenProcessPool:
                self._restart(pool)
                lost += [(len(out) + k, job) for k, job in enumerate(jobs)]
                out += [None] * len(jobs)
        for i, job in lost:
            pool, future = self._submit((job,))
            try:
                [out[i]] = future.result()
            except BrokenProcessPool:
                self._restart(pool)
                out[i] = (job[0], None, f"{job[0]}: the parser process died while reading this file "
                                        "(killed, or out of memory)", None)
        return out  # type: ignore[return-value]

    def close(self, *, abort: bool = False) -> None:
        if self.pool is None:
            return
        if abort:
            # Stop the workers now rather than after their current page (3.14 has terminate_workers()).
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=not abort, cancel_futures=True)
