"""multiprocessing.Pool(WORKERS) with a start method, until every worker has
run one task: Pool(W), then map over W items of a 10 ms sleep (chunksize 1,
so each worker takes one once it is up). Teardown is not timed, nor the import
of multiprocessing.pool (done first).

    python pool_start.py --method fork --workers 2

2.7 has fork only (no get_context). Prints ready_ms.
"""
import multiprocessing
# ctx.Pool() imports this module on its first call (multiprocessing/context.py,
# BaseContext.Pool: "from .pool import Pool"): 3.12 here spends 15-30 ms in
# that import, a cost of the first call, not of starting a pool. Imported
# before the clock starts, so that ready_ms is the pool's start.
import multiprocessing.pool  # noqa: F401
import time

import vlib


def nap(_):
    time.sleep(0.01)
    return 0


def main():
    a = vlib.args({"method": "fork", "workers": 2})
    if hasattr(multiprocessing, "get_context"):
        ctx = multiprocessing.get_context(a["method"])
    elif a["method"] == "fork":
        ctx = multiprocessing
    else:
        raise SystemExit("this Python has only the fork start method")
    t0 = vlib.now()
    pool = ctx.Pool(a["workers"])
    pool.map(nap, range(a["workers"]), chunksize=1)
    ready = vlib.now() - t0
    pool.terminate()
    pool.join()
    vlib.emit({"method": a["method"], "workers": a["workers"], "ready_ms": ready * 1e3})


if __name__ == "__main__":
    main()
