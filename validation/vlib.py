"""Helpers shared by gilsim's validation programs (standard library only;
CPython 2.7 and 3.6 .. 3.13).

Each program prints ONE line of JSON on standard output: what it measured,
with durations in nanoseconds, plus "python" ("3.12") and "cpus" (the CPUs the
process may run on). `gilsim validate` runs the programs, takes the median of
each value over its repeats, and compares it with the twin scenario's
prediction (docs/validation.md).
"""
from __future__ import print_function

import ctypes
import ctypes.util
import json
import os
import resource
import sys
import time

now = getattr(time, "perf_counter", time.time)


def ns(seconds):
    return int(round(seconds * 1e9))


def cpu_time():
    """This process's CPU time (user + system), all threads, in seconds."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpus():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    mask = _affinity_mask()
    if mask is not None:
        return bin(mask).count("1")
    import multiprocessing
    return multiprocessing.cpu_count()


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _affinity_mask():
    try:
        mask = ctypes.c_ulong(0)
        if _libc().sched_getaffinity(0, ctypes.sizeof(mask), ctypes.byref(mask)) != 0:
            return None
        return mask.value
    except Exception:
        return None


def pin_to_one_cpu():
    """os.sched_setaffinity(0, {first CPU}): every thread of this process on
    one CPU. 2.7 has no os.sched_setaffinity: the same system call through
    ctypes (glibc's sched_setaffinity)."""
    if hasattr(os, "sched_setaffinity"):
        first = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, [first])
        return
    mask = _affinity_mask() or 1
    first = (mask & -mask)
    m = ctypes.c_ulong(first)
    if _libc().sched_setaffinity(0, ctypes.sizeof(m), ctypes.byref(m)) != 0:
        raise OSError(ctypes.get_errno(), "sched_setaffinity")


def args(defaults):
    """--name value pairs over `defaults` (each value converted to the
    default's type)."""
    out = dict(defaults)
    argv = sys.argv[1:]
    i = 0
    while i < len(argv):
        name = argv[i]
        if not name.startswith("--") or i + 1 >= len(argv):
            sys.exit("usage: %s [--name value]..." % sys.argv[0])
        key = name[2:].replace("-", "_")
        if key not in out:
            sys.exit("unknown option %s (options: %s)" % (name, ", ".join(sorted(out))))
        out[key] = type(defaults[key])(argv[i + 1])
        i += 2
    return out


def version():
    return "%d.%d" % sys.version_info[:2]


def emit(values):
    values = dict(values)
    values["python"] = version()
    values["cpus"] = cpus()
    print(json.dumps(values, sort_keys=True))
    sys.stdout.flush()


def run_threads(threads):
    """Starts the threads, joins them; the wall time in seconds."""
    t0 = now()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return now() - t0


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return float("nan")
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])
