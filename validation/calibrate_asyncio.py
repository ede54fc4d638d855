"""calibrate.py's asyncio part (3.x only: `async def` does not parse on 2.7)."""
import asyncio

import vlib


async def stepper(k):
    for _ in range(k):
        await asyncio.sleep(0)


async def all_tasks(n, k):
    await asyncio.gather(*[stepper(k) for _ in range(n)])


def step_ns(n, k):
    """ns per task step: N tasks that each yield to the loop K times."""
    loop = asyncio.new_event_loop()
    try:
        t0 = vlib.now()
        loop.run_until_complete(all_tasks(n, k))
        return (vlib.now() - t0) / (n * k) * 1e9
    finally:
        loop.close()
