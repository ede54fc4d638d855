"""gilsim calibrate's microbenchmarks (standard library only; CPython 2.7 and
3.6 .. 3.13). The methods follow analysis/calibration/measure_costs.py: each
measurement is repeated ROUNDS times, and a round's value is the median of
its timed samples.

    python calibrate.py --rounds 5 --only pingpong,pickle

Prints one line of JSON: {"python": "3.12", "cpus": 2, "system": "Linux",
"kernel": "6.18.0", "measurements": [{"name": ..., "x": ..., "rounds": [value
per round, ns]}, ...]}, where x is the measurement's size (bytes, workers) or
0; the system and kernel release (platform.system(), platform.release())
tell calibrate which OS scheduler the machine runs. `gilsim calibrate` fits the
profile's parameters to them (analysis/calibration_fit.cc) and writes the
values as comments. Progress goes to standard error.
"""
from __future__ import print_function

import json
import os
import pickle
import platform
import sys
import threading
import time

import vlib

ROUNDS = 5
OUT = []


def record(name, x, rounds):
    OUT.append({"name": name, "x": x, "rounds": [float(r) for r in rounds]})


def timed_median(fn, n):
    """The median over n calls of fn(), in ns per call."""
    samples = []
    for _ in range(n):
        t0 = vlib.now()
        fn()
        samples.append(vlib.now() - t0)
    return vlib.median(samples) * 1e9


# ------------------------------------------------------------ thread ping-pong

def pingpong_round_trips(n):
    """Two threads hand a token back and forth through two locks used as
    binary semaphores (threading.Lock: a sem_t in 2.7, a mutex and condition
    in 3.x, both futexes): each round trip's time in ns, i.e. two wake-ups
    and two GIL hand-offs. The clock read per trip costs ~0.1 us."""
    ping, pong = threading.Lock(), threading.Lock()
    ping.acquire()
    pong.acquire()

    def other():
        for _ in range(n):
            ping.acquire()
            pong.release()
    t = threading.Thread(target=other)
    t.start()
    trips = []
    t0 = vlib.now()
    for _ in range(n):
        ping.release()
        pong.acquire()
        t1 = vlib.now()
        trips.append(t1 - t0)
        t0 = t1
    t.join()
    return [x * 1e9 for x in trips]


def quantile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def set_affinity(mask_cpus):
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, mask_cpus)
        return
    import ctypes
    m = ctypes.c_ulong(sum(1 << c for c in mask_cpus))
    vlib._libc().sched_setaffinity(0, ctypes.sizeof(m), ctypes.byref(m))


def all_cpus():
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    mask = vlib._affinity_mask() or 1
    return [i for i in range(64) if mask >> i & 1]


def bench_pingpong():
    cpus = all_cpus()
    unpinned, pinned = [], []
    p10, p50, p90 = [], [], []
    for _ in range(ROUNDS):
        trips = pingpong_round_trips(2000)
        unpinned.append(sum(trips) / len(trips))
        # The spread of single round trips: each is two wake-ups, so their
        # spread is (about) that of a wake-up's latency.
        p10.append(quantile(trips, 0.1))
        p50.append(quantile(trips, 0.5))
        p90.append(quantile(trips, 0.9))
        set_affinity(cpus[:1])
        try:
            trips = pingpong_round_trips(2000)
            pinned.append(sum(trips) / len(trips))
        finally:
            set_affinity(cpus)
    record("pingpong_unpinned", 0, unpinned)
    record("pingpong_pinned", 0, pinned)
    record("pingpong_unpinned_p10", 0, p10)
    record("pingpong_unpinned_p50", 0, p50)
    record("pingpong_unpinned_p90", 0, p90)
    # The part of a round trip that pinning saves, per wake-up: waking a
    # thread on another (idle) CPU instead of switching on the same one.
    record("wakeup_gap", 0, [(u - p) / 2 for u, p in zip(unpinned, pinned)])


# ------------------------------------------------------- GIL hand-offs, ticks

def handoff_rate(seconds):
    """GIL hand-offs per second between two spinning threads, counted in
    Python (as validation/handoffs.py does)."""
    last, switches, stop = [None], [0], [False]

    def spin(me):
        while not stop[0]:
            if last[0] is not me:
                last[0] = me
                switches[0] += 1
    ts = [threading.Thread(target=spin, args=(i,)) for i in range(2)]
    t0 = vlib.now()
    for t in ts:
        t.start()
    time.sleep(seconds)
    stop[0] = True
    for t in ts:
        t.join()
    return max(0, switches[0] - 2) / (vlib.now() - t0)


def bench_handoffs():
    cpus = all_cpus()
    unpinned, pinned = [], []
    for _ in range(ROUNDS):
        unpinned.append(handoff_rate(0.2))
        set_affinity(cpus[:1])
        try:
            pinned.append(handoff_rate(0.2))
        finally:
            set_affinity(cpus)
    record("handoffs_per_s", 0, unpinned)
    record("handoffs_per_s_pinned", 0, pinned)


def countdown(n):
    while n > 0:
        n -= 1


def bench_bytecode():
    n = 300000
    record("countdown_iter", 0, [timed_median(lambda: countdown(n), 3) / n for _ in range(ROUNDS)])
    g = {"x": 0}
    plus = compile("for _ in r:\n    x += 1\n", "<plus>", "exec")
    empty = compile("for _ in r:\n    pass\n", "<empty>", "exec")
    r = range(n) if sys.version_info[0] >= 3 else xrange(n)  # noqa: F821 (2.7)
    g["r"] = r
    rounds = []
    for _ in range(ROUNDS):
        a = timed_median(lambda: exec_code(plus, g), 3)
        b = timed_median(lambda: exec_code(empty, g), 3)
        rounds.append((a - b) / n)
    record("increment", 0, rounds)


def exec_code(code, g):
    exec(code, g)


def countdown_threads(threads, total):
    """validation/countdown.py's measurement: the threads' wall time over the
    same count-downs one after another, the threaded run's CPU time over its
    wall time, and the sequential time (ns)."""
    share = total // threads
    countdown(share // 10)  # warm up
    t0 = vlib.now()
    for _ in range(threads):
        countdown(share)
    seq = vlib.now() - t0
    ts = [threading.Thread(target=countdown, args=(share,)) for _ in range(threads)]
    c0 = vlib.cpu_time()
    wall = vlib.run_threads(ts)
    return wall / seq, (vlib.cpu_time() - c0) / wall, seq * 1e9


def bench_battle():
    """Two and four count-down threads against one after another, on all
    CPUs and (two) pinned to one: the GIL's multicore battle (2.x) or its
    absence (3.x). calibrate fits the costs that make the battle (wake-up
    CPU, cache refill, futex wake, tick) by running the count-down twin on
    them."""
    cpus = all_cpus()
    for threads, suffix, mask in ((2, "", cpus), (2, "_pinned", cpus[:1]), (4, "", cpus)):
        ratio, cpu_wall, seq = [], [], []
        set_affinity(mask)
        try:
            for _ in range(ROUNDS):
                r, c, s = countdown_threads(threads, 3000000)
                ratio.append(r)
                cpu_wall.append(c)
                seq.append(s)
        finally:
            set_affinity(cpus)
        name = "countdown%d_" % threads
        record(name + "ratio" + suffix, 0, ratio)
        record(name + "cpu_wall" + suffix, 0, cpu_wall)
        record(name + "seq" + suffix, 0, seq)


# ------------------------------------------------------------- timed waits

def bench_timers():
    for name, wait in (("sleep_overshoot", 0.0005), ("sleep_overshoot_5ms", 0.005)):
        rounds = []
        for _ in range(ROUNDS):
            rounds.append(timed_median(lambda: time.sleep(wait), 20) - wait * 1e9)
        record(name, int(wait * 1e9), rounds)
    if sys.version_info[0] >= 3:
        lock = threading.Lock()
        lock.acquire()
        rounds = []
        for _ in range(ROUNDS):
            rounds.append(timed_median(lambda: lock.acquire(True, 0.0005), 20) - 0.0005e9)
        record("timedwait_overshoot", 500000, rounds)


def timed_wait_cpu_rounds(lock):
    """Thread CPU time per Lock.acquire(True, 1 us) on a held lock, in ns:
    the futex call, arming its timer and the return, whether the thread
    sleeps or not (machine.timed_wait_cpu)."""
    rounds = []
    for _ in range(ROUNDS):
        n = 200
        c0 = time.thread_time()
        for _ in range(n):
            lock.acquire(True, 1e-6)
        rounds.append((time.thread_time() - c0) / n * 1e9)
    return rounds


def bench_timed_wait_cpu():
    """Its own section ("waitcpu"): machine.timed_wait_cpu is fitted to it,
    and the host's speed moves it, so it can be re-recorded alone."""
    if sys.version_info[0] < 3 or not hasattr(time, "thread_time") or not hasattr(os, "sched_setaffinity"):
        return
    lock = threading.Lock()
    lock.acquire()
    # Alone, and pinned beside a CPU-bound process on the same CPU: spinning
    # GIL waiters keep the CPUs busy, and a timed wait costs less then (on
    # the project's VM 18-24 us against 28-38 us alone).
    import subprocess
    record("timedwait_cpu_alone", 1000, timed_wait_cpu_rounds(lock))
    mine = os.sched_getaffinity(0)
    cpu = min(mine)
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        os.sched_setaffinity(spinner.pid, {cpu})
        os.sched_setaffinity(0, {cpu})
        try:
            rounds = timed_wait_cpu_rounds(lock)
        finally:
            os.sched_setaffinity(0, mine)
    finally:
        spinner.kill()
        spinner.wait()
    record("timedwait_cpu_busy", 1000, rounds)
    # Where in the call it decides to sleep (machine.timed_wait_cpu against
    # timed_wait_return_cpu): with 1 ns of timer slack, a deadline that comes
    # before the timer is armed never sleeps (wall = thread CPU), one that
    # comes after does (wall - CPU = the rest of the sleep and a wake-up).
    # prctl(PR_SET_TIMERSLACK) sets this thread's slack; restored after.
    if sys.platform.startswith("linux"):
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_TIMERSLACK, PR_GET_TIMERSLACK = 29, 30
        old = libc.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0)
        if old > 0 and libc.prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0) == 0:
            try:
                for t_us in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20):
                    rounds = []
                    for _ in range(ROUNDS):
                        n = 100
                        w0 = time.perf_counter()
                        c0 = time.thread_time()
                        for _ in range(n):
                            lock.acquire(True, t_us * 1e-6)
                        c1 = time.thread_time()
                        w1 = time.perf_counter()
                        rounds.append(((w1 - w0) - (c1 - c0)) / n * 1e9)
                    record("timedwait_sleep_gap", t_us * 1000, rounds)
            finally:
                libc.prctl(PR_SET_TIMERSLACK, old, 0, 0, 0)


# ------------------------------------------------------------- processes

def noop():
    pass


def nap(_):
    time.sleep(0.01)
    return 0


# A fresh interpreter's first Process.start() with `method`: its thread's CPU
# time in start(), in ns. The first spawn or forkserver start also starts
# multiprocessing's resource tracker (resource_tracker.ensure_running, a second
# fork_exec), which later starts do not; so this runs in a new interpreter each
# time. The Popen module is imported before the clock starts, as above.
FIRST_START = """
import multiprocessing, sys, time
import multiprocessing.popen_%s_posix
def noop():
    pass
if __name__ == "__main__":
    p = multiprocessing.get_context("%s").Process(target=noop)
    c0 = time.thread_time()
    p.start()
    c1 = time.thread_time()
    p.join()
    print((c1 - c0) * 1e9)
"""


def first_start_cpu(method):
    import subprocess
    import tempfile
    fd, path = tempfile.mkstemp(suffix=".py")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(FIRST_START % (method, method))
        return float(subprocess.check_output([sys.executable, path]).decode().strip())
    finally:
        os.unlink(path)


def bench_processes():
    import multiprocessing
    # ctx.Pool() imports multiprocessing.pool on its first call: 15-30 ms of
    # 3.12's first Pool(1) round, which made Pool(2) look faster than Pool(1).
    import multiprocessing.pool  # noqa: F401
    methods = ["fork"]
    if hasattr(multiprocessing, "get_context"):
        methods += ["spawn", "forkserver"]
    # Process.start() imports its Popen module on its first call
    # (multiprocessing/context.py, ForkProcess._Popen): a cost of the first
    # start, not of each, imported before the clock starts (as
    # process_start.py does).
    modules = {"fork": "multiprocessing.popen_fork", "spawn": "multiprocessing.popen_spawn_posix",
               "forkserver": "multiprocessing.popen_forkserver"}
    # The parent's share of a start: its thread's CPU time in start(), which
    # CPython runs in the caller's thread with the GIL held (3.7+: time.thread_time).
    thread_time = getattr(time, "thread_time", None)
    for m in methods:
        ctx = multiprocessing.get_context(m) if hasattr(multiprocessing, "get_context") else multiprocessing
        try:
            __import__(modules[m])
        except ImportError:  # 2.7 has no popen_* modules: multiprocessing.forking
            pass
        rounds, cpu = [], []
        for _ in range(max(3, ROUNDS)):
            p = ctx.Process(target=noop)
            t0 = vlib.now()
            c0 = thread_time() if thread_time else 0.0
            p.start()
            c1 = thread_time() if thread_time else 0.0
            p.join()
            rounds.append((vlib.now() - t0) * 1e9)
            cpu.append((c1 - c0) * 1e9)
        record("process_" + m, 0, rounds)
        if thread_time:
            record("process_start_cpu_" + m, 0, cpu)
        if thread_time and m == "spawn":
            record("process_first_start_cpu_spawn", 0, [first_start_cpu(m) for _ in range(max(3, ROUNDS))])
        for w in (1, 2):
            rounds = []
            for _ in range(max(2, ROUNDS // 2)):
                t0 = vlib.now()
                pool = ctx.Pool(w)
                pool.map(nap, range(w), chunksize=1)
                rounds.append((vlib.now() - t0) * 1e9 - 10e6)
                pool.terminate()
                pool.join()
            record("pool_ready_" + m, w, rounds)


# ------------------------------------------------------- pickling and pipes

def bench_pickle():
    proto = pickle.HIGHEST_PROTOCOL
    # The line below 64 KiB; 1 MiB apart (fresh pages cost more per byte).
    for size, name in ((16, "pickle_bytes"), (4096, "pickle_bytes"), (65536, "pickle_bytes"),
                       (1 << 20, "pickle_bytes_1mb")):
        data = b"\x01" * size
        blob = pickle.dumps(data, proto)
        n = 200 if size > 100000 else 2000
        rounds = []
        for _ in range(ROUNDS):
            d = timed_median(lambda: pickle.dumps(data, proto), n)
            l = timed_median(lambda: pickle.loads(blob), n)
            rounds.append((d + l) / 2)
        record(name, size, rounds)


def bench_pipes():
    import multiprocessing
    a, b = multiprocessing.Pipe()
    for size in (64, 16384, 61440):  # below the pipe's 64 KiB: no reader needed
        data = b"\x01" * size
        rounds = []
        for _ in range(ROUNDS):
            def one():
                a.send_bytes(data)
                b.recv_bytes()
            rounds.append(timed_median(one, 500) / 2)  # a write and a read
        record("pipe_bytes", size, rounds)
    a.close()
    b.close()


# --------------------------------------------------------------- asyncio

def bench_asyncio():
    if sys.version_info < (3, 6):
        return
    import calibrate_asyncio
    record("loop_step", 0, [calibrate_asyncio.step_ns(100, 50) for _ in range(ROUNDS)])
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as ex:
        record("submit_thread", 0, [timed_median(lambda: ex.submit(noop), 2000) for _ in range(ROUNDS)])


def bench_syscall():
    # A system call's entry and exit: os.getppid (the kernel reads one field)
    # less an empty Python call. A FUTEX_WAKE that finds nobody asleep is
    # one, plus a hash-bucket look-up (the old GIL's sem_post does one while a
    # woken waiter has not retried yet): the profile's futex_wake_nobody. On a
    # VM with page-table isolation it is microseconds, not the 200 ns of the
    # reference machine.
    n = 20000

    def per_call(f):
        t0 = vlib.now()
        for _ in range(n):
            f()
        return (vlib.now() - t0) / n * 1e9

    record("syscall", 0, [per_call(os.getppid) - per_call(noop) for _ in range(ROUNDS)])


SECTIONS = [("syscall", bench_syscall), ("pingpong", bench_pingpong), ("handoffs", bench_handoffs), ("battle", bench_battle),
            ("bytecode", bench_bytecode),
            ("timers", bench_timers), ("waitcpu", bench_timed_wait_cpu), ("processes", bench_processes), ("pickle", bench_pickle),
            ("pipes", bench_pipes), ("asyncio", bench_asyncio)]


def main():
    global ROUNDS
    a = vlib.args({"rounds": 5, "only": ""})
    ROUNDS = a["rounds"]
    only = [s for s in a["only"].split(",") if s]
    for name, fn in SECTIONS:
        if only and name not in only:
            continue
        sys.stderr.write("calibrate: %s %s\n" % (vlib.version(), name))
        sys.stderr.flush()
        fn()
    vlib.emit({"measurements": OUT, "system": platform.system(), "kernel": platform.release()})


if __name__ == "__main__":
    main()
