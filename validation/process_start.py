"""One multiprocessing.Process with a start method: start() then join(), the
target a no-op. Times the parent's start() (wall and, from 3.7, its thread's
CPU time: the parent's share of the start, which CPython runs in the
caller's thread with the GIL held) and start() + join() (the child's whole
life as the parent sees it). The modules the start method imports on its
first start are imported before the clock starts, as pool_start.py does.

    python process_start.py --method spawn

3.4+ (get_context). Prints start_ms, start_cpu_ms and total_ms.
"""
import multiprocessing
import time

import vlib

# Process.start() imports these on its first call (multiprocessing/context.py,
# ForkProcess._Popen / SpawnProcess._Popen): a cost of the first call, not of
# a start.
MODULES = {"fork": "multiprocessing.popen_fork", "spawn": "multiprocessing.popen_spawn_posix",
           "forkserver": "multiprocessing.popen_forkserver"}


def noop():
    pass


def main():
    a = vlib.args({"method": "fork"})
    if not hasattr(multiprocessing, "get_context"):
        raise SystemExit("this Python has no multiprocessing.get_context")
    ctx = multiprocessing.get_context(a["method"])
    __import__(MODULES[a["method"]])
    thread_time = getattr(time, "thread_time", None)
    p = ctx.Process(target=noop)
    t0 = vlib.now()
    c0 = thread_time() if thread_time else 0.0
    p.start()
    c1 = thread_time() if thread_time else 0.0
    t1 = vlib.now()
    p.join()
    t2 = vlib.now()
    out = {"method": a["method"], "start_ms": (t1 - t0) * 1e3, "total_ms": (t2 - t0) * 1e3}
    if thread_time:
        out["start_cpu_ms"] = (c1 - c0) * 1e3
    vlib.emit(out)


if __name__ == "__main__":
    main()
