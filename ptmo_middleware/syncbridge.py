"""Run async code from sync callers: the router's sync methods drive its async core.

A call made where no event loop runs uses ``asyncio.run``; a call made from inside a
running loop (a notebook, an async framework's sync callback) runs on a private loop
in a worker thread, so it never blocks or re-enters the caller's loop.
"""
from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """The result of the coroutine ``make()`` returns, run to completion."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    result: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(asyncio.run(make()))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="ptmo-sync-call")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]


def iterate_sync(make: Callable[[], AsyncIterator[T]]) -> Iterator[T]:
    """Iterate the async iterator ``make()`` returns, from sync code. The async side
    runs on its own loop in a worker thread; closing this iterator early cancels it."""
    items: queue.Queue[tuple[str, Any]] = queue.Queue()
    loop = asyncio.new_event_loop()
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

    def work() -> None:
        asyncio.set_event_loop(loop)
        task.append(loop.create_task(pump()))
        try:
            loop.run_until_complete(task[0])
        except asyncio.CancelledError:
            pass
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    worker = threading.Thread(target=work, name="ptmo-sync-stream", daemon=True)
    worker.start()
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
        if worker.is_alive() and task:
            try:
                loop.call_soon_threadsafe(task[0].cancel)
            except RuntimeError:  # the loop closed in the meantime: nothing to cancel
                pass
        worker.join()
