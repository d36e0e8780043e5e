"""Calling pyHanko's synchronous API safely from any thread.

pyHanko's sync functions call ``asyncio.run``, which refuses to run where an event loop is
already running in the thread (an async server, or a test session that drives Playwright's sync
API). Then the call moves to a short-lived worker thread, which has no loop.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

__all__ = ["outside_event_loop"]


def outside_event_loop(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper
