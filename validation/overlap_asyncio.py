"""overlap.py's asyncio half (3.x only: `async def` does not parse on 2.7)."""
import asyncio

import vlib


async def task(seconds):
    await asyncio.sleep(seconds)
    await asyncio.sleep(seconds)


async def all_tasks(n, seconds):
    await asyncio.gather(*[task(seconds) for _ in range(n)])


def run(n, seconds):
    """N tasks each sleeping twice; the wall time in seconds. (asyncio.run
    is 3.7+: a loop of our own for 3.6.)"""
    loop = asyncio.new_event_loop()
    try:
        t0 = vlib.now()
        loop.run_until_complete(all_tasks(n, seconds))
        return vlib.now() - t0
    finally:
        loop.close()
