"""Sleeps overlap: THREADS threads each sleep SLEEP_MS twice, and (3.x)
asyncio tasks each await asyncio.sleep(SLEEP_MS) twice, against the same
sleeps one after another.

    python overlap.py --threads 4 --sleep-ms 20

Prints threads_ns, asyncio_ns (0 on 2.7: no asyncio), serial_ns (the sleeps
one after another, computed) and the ratios threads_ratio and asyncio_ratio
(wall over serial: 1/THREADS when they overlap fully).
"""
import sys
import threading
import time

import vlib


def sleeper(seconds):
    time.sleep(seconds)
    time.sleep(seconds)


def main():
    a = vlib.args({"threads": 4, "sleep_ms": 20.0})
    s = a["sleep_ms"] / 1000.0
    threads = [threading.Thread(target=sleeper, args=(s,)) for _ in range(a["threads"])]
    wall = vlib.run_threads(threads)
    aio = 0.0
    if sys.version_info[0] >= 3:
        import overlap_asyncio  # `async def` is a syntax error on 2.7
        aio = overlap_asyncio.run(a["threads"], s)
    serial = 2 * a["threads"] * s
    vlib.emit({"threads_ns": vlib.ns(wall), "asyncio_ns": vlib.ns(aio), "serial_ns": vlib.ns(serial),
               "threads_ratio": wall / serial, "asyncio_ratio": aio / serial if aio else 0.0})


if __name__ == "__main__":
    main()
