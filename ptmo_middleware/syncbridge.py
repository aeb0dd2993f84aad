"""Run the router's async core from sync callers, on one long-lived event loop.

Every sync call in the process (``invoke``, ``stream``, LangChain's ``batch`` in its
thread pool, plain threads) runs its coroutine on one event loop that lives in a daemon
thread, started on first use. Async clients (httpx connection pools) belong to the loop
they were made on; with one loop for every sync call they are made once and reused,
never used again on a loop that has closed. Async callers keep their own loop, and the
backends keep one client per loop (:class:`~ptmo_middleware.backends.PerLoop`).

A sync call made on that loop's own thread (core code calling the sync API back) would
wait on itself; it runs on a private loop in a worker thread instead.
"""
from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class _LoopThread:
    """An event loop running forever in a daemon thread."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def main() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.call_soon(ready.set)
            self.loop.run_forever()

        self.thread = threading.Thread(target=main, name=name, daemon=True)
        self.thread.start()
        ready.wait()

    def stop(self) -> None:
        """Stop the loop, wait for its thread, close it."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


_shared: _LoopThread | None = None
_shared_lock = threading.Lock()


def shared_loop() -> asyncio.AbstractEventLoop:
    """The loop sync calls run on (started on first use; restarted in a forked child)."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.thread.is_alive():
            _shared = _LoopThread("ptmo-loop")
        return _shared.loop


@contextmanager
def _caller_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """The shared loop, or a private one when the caller runs on the shared loop's thread."""
    loop = shared_loop()
    if threading.current_thread() is not (_shared.thread if _shared else None):
        yield loop
        return
    private = _LoopThread("ptmo-private-loop")
    try:
        yield private.loop
    finally:
        private.stop()


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """The result of the coroutine ``make()`` returns, run to completion on the shared
    loop. An interrupted caller (KeyboardInterrupt) cancels it."""
    with _caller_loop() as loop:
        future = asyncio.run_coroutine_threadsafe(make(), loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise


def iterate_sync(make: Callable[[], AsyncIterator[T]]) -> Iterator[T]:
    """Iterate the async iterator ``make()`` returns, from sync code; it runs on the
    shared loop. Closing this iterator early cancels it and waits until it has ended."""
    items: queue.Queue[tuple[str, Any]] = queue.Queue()
    finished = threading.Event()
    task: list[asyncio.Task[None]] = []

    async def pump() -> None:
        try:
            async for item in make():
                items.put(("item", item))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # re-raised in the consumer's thread
            items.put(("error", exc))
        else:
            items.put(("done", None))

    def start() -> None:
        task.append(loop.create_task(pump()))
        task[0].add_done_callback(lambda _: finished.set())

    with _caller_loop() as loop:
        loop.call_soon_threadsafe(start)
        try:
            while True:
                kind, value = items.get()
                if kind == "item":
                    yield value
                elif kind == "error":
                    raise value
                else:
                    return
        finally:
            if not finished.is_set():  # left early: cancel (``start`` has run before this)
                loop.call_soon_threadsafe(lambda: task[0].cancel())
                finished.wait()
