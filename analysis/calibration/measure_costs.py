#!/usr/bin/env python3
"""Measure per-operation costs of real CPython, for calibrating gilsim.

Standard library only; runs with any python3 >= 3.8; about 30 s with the
default 5 rounds on a 2-core machine. Prints a markdown table
(quantity | value (median of N) | python | how measured) on stdout and
progress on stderr.

Usage:
    python3 measure_costs.py                       # all sections, 5 rounds
    python3 measure_costs.py --rounds 3
    python3 measure_costs.py --only interp         # comma-separated subset of:
        procpool, pipe, submit, threadpool, event, pinned, pickle, asyncio, interp

Method: every timing uses time.perf_counter_ns(). Each section runs once per
round (rounds are repeated because the machine may be noisy). Per-call
quantities pool the timed samples of all rounds and report their median with
the 10th-90th percentile and the range of the per-round medians; derived
quantities (ns/byte, slopes) are computed per round from that round's medians
and the median over rounds is reported, with the range. Every measurement is
wrapped in try/except: a failure gives "n/a (reason)" instead of a crash.

Wake-up-bound quantities (pipe, thread pool, Event ping-pong) are measured
twice: free to use all CPUs, and with the process pinned to one CPU
(os.sched_setaffinity) -- tagged "[pinned to 1 CPU]" -- because on a VM a
wake-up of a thread on another, idle vCPU can cost much more than a switch on
the same CPU.

Heavy imports (asyncio, ...) are done lazily inside the sections so that the
"spawn"/"forkserver" start-up numbers reflect a small __main__ module (the
child re-imports this file as __mp_main__).
"""
import os
import sys
import time
import platform
import threading
import warnings
from collections import OrderedDict

NS = time.perf_counter_ns
PYVER = "%d.%d.%d" % sys.version_info[:3]
RESULTS = OrderedDict()  # quantity -> dict


# ---------------------------------------------------------------- helpers

def noop(*args, **kwargs):
    return None


def percentile(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = (len(sorted_vals) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def median(vals):
    return percentile(sorted(vals), 0.5)


def fmt_ns(ns):
    if ns != ns:
        return "nan"
    a = abs(ns)
    if a < 1e3:
        return "%.0f ns" % ns
    if a < 1e6:
        return "%.2f µs" % (ns / 1e3)
    if a < 1e9:
        return "%.2f ms" % (ns / 1e6)
    return "%.3f s" % (ns / 1e9)


def fmt_unit(v, unit):
    if unit == "ns":
        return fmt_ns(v)
    if unit == "ns/B":
        return "%.4f ns/B" % v
    return "%.4g %s" % (v, unit)


def _entry(q, how):
    e = RESULTS.get(q)
    if e is None:
        e = {"samples": [], "round_vals": [], "how": how, "unit": "ns",
             "na": None, "kind": None, "note": ""}
        RESULTS[q] = e
    return e


def record_samples(q, samples, how, note=""):
    """Per-call timings (ns) of one round; pooled across rounds."""
    e = _entry(q, how)
    e["kind"] = "samples"
    e["samples"].extend(samples)
    e["round_vals"].append(median(samples))
    if note:
        e["note"] = note
    print("  %-62s %s (median of %d)" % (q, fmt_ns(median(samples)), len(samples)),
          file=sys.stderr, flush=True)


def record_value(q, value, unit, how, note=""):
    """One derived value per round; median over rounds is reported."""
    e = _entry(q, how)
    e["kind"] = "value"
    e["unit"] = unit
    e["round_vals"].append(value)
    if note:
        e["note"] = note
    print("  %-62s %s" % (q, fmt_unit(value, unit)), file=sys.stderr, flush=True)


def record_na(q, exc, how=""):
    e = _entry(q, how)
    if isinstance(exc, BaseException):
        e["na"] = "%s: %s" % (type(exc).__name__, str(exc)[:150])
    else:
        e["na"] = str(exc)
    print("  %-62s n/a (%s)" % (q, e["na"]), file=sys.stderr, flush=True)


def format_entry(e):
    rv = e["round_vals"]
    if not rv:
        return "n/a (%s)" % (e["na"] or "no data")
    note = ("; " + e["note"]) if e["note"] else ""
    if e["kind"] == "samples":
        s = sorted(e["samples"])
        txt = "%s (median of %d) [p10-p90 %s-%s" % (
            fmt_ns(percentile(s, 0.5)), len(s), fmt_ns(percentile(s, 0.1)),
            fmt_ns(percentile(s, 0.9)))
        if len(rv) > 1:
            txt += "; per-round medians %s-%s over %d rounds" % (
                fmt_ns(min(rv)), fmt_ns(max(rv)), len(rv))
        return txt + "]" + note
    u = e["unit"]
    if len(rv) == 1:
        return "%s (single value)%s" % (fmt_unit(rv[0], u), note)
    return "%s (median of %d rounds) [rounds %s-%s]%s" % (
        fmt_unit(median(rv), u), len(rv), fmt_unit(min(rv), u), fmt_unit(max(rv), u), note)


def sample(fn, reps, warmup):
    """Run fn() warmup times untimed, then reps times timed; return ns list."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        t0 = NS()
        fn()
        out.append(NS() - t0)
    return out


def guarded(q, how=""):
    """@guarded(q, how) def _(): ...  -- runs the body now; n/a on failure."""
    def run(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - robustness is the point
            record_na(q, e, how)
    return run


# ---------------------------------------------------------------- 3. process pools

def measure_procpool(rnd):
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp

    for m in ("fork", "spawn", "forkserver"):
        q0 = "ProcessPoolExecutor(2, %s) start-up, first pool in the process (cold)" % m
        q1 = "ProcessPoolExecutor(2, %s) start-up (warm)" % m
        how0 = ("t0; ex=ProcessPoolExecutor(2, mp_context=get_context('%s')); ex.submit(noop).result(); t1 "
                "(shutdown not timed); the very first pool of this method in the process, so it "
                "includes one-time costs (resource tracker%s); measured in round 1 only"
                % (m, ", forkserver server launch" if m == "forkserver" else ""))
        how1 = ("same as cold, for later pools (forkserver server / resource tracker already up); "
                "8 per round")
        try:
            ctx = mp.get_context(m)
        except Exception as e:
            record_na(q0, e, how0)
            record_na(q1, e, how1)
            continue

        def startup():
            t0 = NS()
            ex = ProcessPoolExecutor(2, mp_context=ctx)
            ex.submit(noop).result()
            t1 = NS()
            ex.shutdown(wait=True)
            return t1 - t0

        if rnd == 0:
            @guarded(q0, how0)
            def _():
                record_value(q0, startup(), "ns", how0)

        @guarded(q1, how1)
        def _():
            record_samples(q1, [startup() for _ in range(8)], how1)

        q = "ProcessPoolExecutor(2, %s) submit(noop).result() round trip" % m
        how = "one warm executor, sequential submit+result of a no-op; 50 warm-up, 400 timed per round"

        @guarded(q, how)
        def _():
            with ProcessPoolExecutor(2, mp_context=ctx) as ex:
                s = sample(lambda: ex.submit(noop).result(), 400, 50)
            record_samples(q, s, how)


# ---------------------------------------------------------------- 2. pipe

def _echo_child(conn_in, conn_out):
    while True:
        msg = conn_in.recv_bytes()
        if msg == b"Q":
            return
        if len(msg) <= 64:
            conn_out.send_bytes(msg)  # echo
        else:
            conn_out.send_bytes(b"k")  # ack large messages


def measure_pipe(rnd, tag=""):
    import multiprocessing as mp
    q = "Pipe round trip, tiny message (8 B), parent<->child process" + tag
    how = ("two multiprocessing.Pipe(duplex=False) (os pipes) to a forked child that echoes; "
           "send_bytes + recv_bytes; 300 warm-up, 4000 timed per round")
    ctx = mp.get_context("fork")
    try:
        p2c_r, p2c_w = ctx.Pipe(duplex=False)
        c2p_r, c2p_w = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_echo_child, args=(p2c_r, c2p_w), daemon=True)
        child.start()
    except Exception as e:
        record_na(q, e, how)
        return
    try:
        rt = [float("nan")]

        @guarded(q, how)
        def _():
            msg = b"x" * 8

            def one():
                p2c_w.send_bytes(msg)
                c2p_r.recv_bytes()
            s = sample(one, 4000, 300)
            rt[0] = median(s)
            record_samples(q, s, how)

        for size, label, reps in ((1 << 20, "1 MB", 60), (16 << 20, "16 MB", 8)):
            qs = "Pipe one-way %s message, per byte%s" % (label, tag)
            hows = ("parent send_bytes(%s) -> child recv_bytes -> 1-byte ack; per round: "
                    "(median of %d - tiny round trip) / size; 2 warm-up" % (label, reps))
            qm = "Pipe one-way %s message, whole message%s" % (label, tag)
            howm = "as above, whole send -> ack time"

            @guarded(qs, hows)
            def _():
                payload = b"\x01" * size

                def one():
                    p2c_w.send_bytes(payload)
                    c2p_r.recv_bytes()
                s = sample(one, reps, 2)
                med = median(s)
                record_samples(qm, s, howm)
                per_b = (med - rt[0]) / size
                record_value(qs, per_b, "ns/B", hows)
    finally:
        try:
            p2c_w.send_bytes(b"Q")
            child.join(5)
        except Exception:
            pass


# ---------------------------------------------------------------- 4/5. thread pool, submit

def measure_submit(rnd, tag="", procs=True):
    from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor
    import multiprocessing as mp

    def submit_only(ex, reps, warmup):
        for _ in range(warmup):
            ex.submit(noop).result()
        out = []
        for _ in range(reps):
            t0 = NS()
            f = ex.submit(noop)
            t1 = NS()
            out.append(t1 - t0)
            f.result()  # wait outside the timed region so the pool is idle again
        return out

    def burst(ex, k, runs):
        out = []
        for r in range(runs + 1):
            t0 = NS()
            fs = [ex.submit(noop) for _ in range(k)]
            t1 = NS()
            for f in fs:
                f.result()
            if r:
                out.append((t1 - t0) // k)
        return out

    q = "ThreadPoolExecutor(2).submit() call alone (idle pool)" + tag
    how = ("time of f=ex.submit(noop) only; f.result() awaited outside timing, so each submit "
           "finds idle workers; 300 warm-up, 4000 timed per round")

    @guarded(q, how)
    def _():
        with ThreadPoolExecutor(2) as ex:
            s = submit_only(ex, 4000, 300)
        record_samples(q, s, how)

    q = "ThreadPoolExecutor(2).submit() in a burst of 1000, per submit" + tag
    how = ("t0; 1000 x ex.submit(noop) back to back; t1; /1000 (results awaited afterwards); "
           "1 warm-up burst, 5 timed per round")

    @guarded(q, how)
    def _():
        with ThreadPoolExecutor(2) as ex:
            s = burst(ex, 1000, 5)
        record_samples(q, s, how)

    if not procs:
        return

    q = "ProcessPoolExecutor(2, fork).submit() call alone (idle pool)"
    how = "as for the thread pool; 50 warm-up, 400 timed per round"

    @guarded(q, how)
    def _():
        with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as ex:
            s = submit_only(ex, 400, 50)
        record_samples(q, s, how)

    q = "ProcessPoolExecutor(2, fork).submit() in a burst of 1000, per submit"
    how = "as for the thread pool; 1 warm-up burst, 3 timed per round"

    @guarded(q, how)
    def _():
        with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as ex:
            s = burst(ex, 1000, 3)
        record_samples(q, s, how)


def measure_threadpool(rnd, tag=""):
    from concurrent.futures import ThreadPoolExecutor
    q = "ThreadPoolExecutor(2) submit(noop).result() round trip" + tag
    how = "one executor, sequential submit+result of a no-op; 300 warm-up, 4000 timed per round"

    @guarded(q, how)
    def _():
        with ThreadPoolExecutor(2) as ex:
            s = sample(lambda: ex.submit(noop).result(), 4000, 300)
        record_samples(q, s, how)


# ---------------------------------------------------------------- 8. thread wake-up

def _pong(e_ping, e_pong, stop):
    while True:
        e_ping.wait()
        e_ping.clear()
        e_pong.set()
        if stop[0]:
            return


def measure_event(rnd, tag=""):
    q = "threading.Event ping-pong round trip (2 threads)" + tag
    how = ("main thread: t0; e1.set(); e2.wait(); e2.clear(); t1 -- partner thread loops "
           "e1.wait(); e1.clear(); e2.set(); 300 warm-up, 4000 timed per round; "
           "sys.getswitchinterval() = %g s" % sys.getswitchinterval())

    @guarded(q, how)
    def _():
        e1, e2, stop = threading.Event(), threading.Event(), [False]
        t = threading.Thread(target=_pong, args=(e1, e2, stop), daemon=True)
        t.start()

        def one():
            e1.set()
            e2.wait()
            e2.clear()
        s = sample(one, 4000, 300)
        stop[0] = True
        e1.set()
        t.join(5)
        record_samples(q, s, how)


# ---------------------------------------------------------------- 1. pickle

def measure_pickle(rnd):
    import pickle
    proto = pickle.DEFAULT_PROTOCOL

    def dl(obj):
        return lambda: pickle.loads(pickle.dumps(obj))

    q = "pickle dumps+loads fixed cost: (func_ref, (1,), {})"
    how = ("protocol %d (default); a task-like tuple with a module-level function reference; "
           "1000 warm-up, 8000 timed per round" % proto)
    fixed = [float("nan")]

    @guarded(q, how)
    def _():
        obj = (noop, (1,), {})
        s = sample(dl(obj), 8000, 1000)
        fixed[0] = median(s)
        record_samples(q, s, how, "pickled size %d B" % len(pickle.dumps(obj)))

    q = "pickle dumps+loads of empty bytes b'' (intercept for bytes)"
    how = "protocol %d; 1000 warm-up, 8000 timed per round" % proto

    @guarded(q, how)
    def _():
        record_samples(q, sample(dl(b""), 8000, 1000), how)

    meds = {}
    sizes = ((1 << 10, "1 KB", 8000), (1 << 20, "1 MB", 200),
             (4 << 20, "4 MB", 40), (16 << 20, "16 MB", 12))
    for size, label, reps in sizes:
        q = "pickle dumps+loads of bytes, %s" % label
        how = ("protocol %d; os.urandom bytes of %d B; %d timed per round after %d warm-up"
               % (proto, size, reps, max(3, reps // 10)))

        @guarded(q, how)
        def _():
            obj = os.urandom(size)
            s = sample(dl(obj), reps, max(3, reps // 10))
            meds[size] = median(s)
            record_samples(q, s, how)

    for (a, la), (b, lb) in (((1 << 10, "1 KB"), (1 << 20, "1 MB")),
                             ((1 << 20, "1 MB"), (4 << 20, "4 MB")),
                             ((4 << 20, "4 MB"), (16 << 20, "16 MB")),
                             ((1 << 20, "1 MB"), (16 << 20, "16 MB"))):
        q = "pickle dumps+loads of bytes, per-byte slope %s -> %s" % (la, lb)
        how = "per round: (median t(%s) - median t(%s)) / (%s - %s)" % (lb, la, lb, la)
        try:
            record_value(q, (meds[b] - meds[a]) / (b - a), "ns/B", how)
        except Exception as e:
            record_na(q, e, how)

    q = "pickle dumps+loads of a list of 1e5 floats, per pickled byte"
    how = ("list of 100000 random floats (900331 B pickled); per round: (median of 40 - fixed "
           "cost of the func tuple) / len(pickled); 3 warm-up")
    qw = "pickle dumps+loads of a list of 1e5 floats, whole call"

    @guarded(q, how)
    def _():
        import random
        r = random.Random(1)
        obj = [r.random() for _ in range(100000)]
        n = len(pickle.dumps(obj))
        s = sample(dl(obj), 40, 3)
        record_samples(qw, s, "as above; whole dumps+loads of the list", "%d pickled B" % n)
        record_value(q, (median(s) - fixed[0]) / n, "ns/B", how)


# ---------------------------------------------------------------- 6. asyncio

def measure_asyncio(rnd):
    import asyncio

    q = "asyncio: one `await asyncio.sleep(0)` iteration (1 task)"
    how = ("asyncio.run of one task looping 20000 x await asyncio.sleep(0), timed inside the "
           "task; value = total/20000 per run; 1 warm-up run, 6 timed runs per round")

    @guarded(q, how)
    def _():
        N = 20000

        async def spin():
            t0 = NS()
            for _ in range(N):
                await asyncio.sleep(0)
            return (NS() - t0) // N

        runs = [asyncio.run(spin()) for _ in range(7)][1:]
        record_samples(q, runs, how)

    q = "asyncio: per task create_task + run of a trivial coroutine (gather of 1000)"
    how = ("inside a running loop: t0; await gather(*[create_task(c()) for 1000]); t1; "
           "value = (t1-t0)/1000 per batch; 2 warm-up, 20 timed batches per round")

    @guarded(q, how)
    def _():
        K = 1000

        async def trivial():
            return None

        async def main():
            res = []
            for i in range(22):
                t0 = NS()
                await asyncio.gather(*[asyncio.create_task(trivial()) for _ in range(K)])
                res.append((NS() - t0) // K)
            return res[2:]

        record_samples(q, asyncio.run(main()), how)


# ---------------------------------------------------------------- 7. sub-interpreters

def _interp_module():
    try:
        import _interpreters as m  # 3.13+
        return m, "_interpreters"
    except ImportError:
        import _xxsubinterpreters as m  # 3.12
        return m, "_xxsubinterpreters"


def measure_interp(rnd):
    qc, qd, qcd = ("sub-interpreter create()", "sub-interpreter destroy()",
                   "sub-interpreter create()+destroy()")
    try:
        m, name = _interp_module()
    except Exception as e:
        for q in (qc, qd, qcd):
            record_na(q, e, "import _interpreters (3.13+) / _xxsubinterpreters (3.12)")
        m = None
    if m is not None:
        cfg = ("default config; per-interpreter GIL from 3.12 (PEP 684)" if sys.version_info >= (3, 12)
               else "default config; shared GIL before 3.12")
        how = ("%s.create() (%s) then destroy(id), each timed; 2 warm-up, 30 timed per round"
               % (name, cfg))

        @guarded(qcd, how)
        def _():
            c, d, cd = [], [], []
            for i in range(32):
                t0 = NS()
                iid = m.create()
                t1 = NS()
                m.destroy(iid)
                t2 = NS()
                if i >= 2:
                    c.append(t1 - t0)
                    d.append(t2 - t1)
                    cd.append(t2 - t0)
            record_samples(qc, c, how)
            record_samples(qd, d, how)
            record_samples(qcd, cd, how)

        fn = "exec" if hasattr(m, "exec") else "run_string"
        q = "sub-interpreter %s(id, 'pass') from the main thread" % fn
        how = ("%s.%s(id, 'pass') on an existing interpreter (switch thread state/GIL + compile + "
               "exec); 50 warm-up, 2000 timed per round" % (name, fn))

        @guarded(q, how)
        def _():
            iid = m.create()
            try:
                run = getattr(m, fn)
                s = sample(lambda: run(iid, "pass"), 2000, 50)
            finally:
                m.destroy(iid)
            record_samples(q, s, how)

    import concurrent.futures as cf
    IPE = getattr(cf, "InterpreterPoolExecutor", None)
    q1 = "InterpreterPoolExecutor(2) submit(noop).result() round trip"
    how1 = "concurrent.futures.InterpreterPoolExecutor (3.14+); 50 warm-up, 400 timed per round"
    q2 = "InterpreterPoolExecutor(2) start-up"
    how2 = ("t0; ex=InterpreterPoolExecutor(2); ex.submit(noop).result(); t1 (shutdown not timed); "
            "1 warm-up, 5 timed per round")
    if IPE is None:
        record_na(q1, "concurrent.futures.InterpreterPoolExecutor not in %s" % PYVER, how1)
        record_na(q2, "concurrent.futures.InterpreterPoolExecutor not in %s" % PYVER, how2)
        return

    @guarded(q1, how1)
    def _():
        with IPE(2) as ex:
            s = sample(lambda: ex.submit(noop).result(), 400, 50)
        record_samples(q1, s, how1)

    @guarded(q2, how2)
    def _():
        out = []
        for i in range(6):
            t0 = NS()
            ex = IPE(2)
            ex.submit(noop).result()
            t1 = NS()
            ex.shutdown(wait=True)
            if i:
                out.append(t1 - t0)
        record_samples(q2, out, how2)


# ---------------------------------------------------------------- same, pinned to one CPU

PIN_TAG = " [pinned to 1 CPU]"


def measure_pinned(rnd):
    """Re-run the wake-up-bound measurements with the main thread (and so every
    thread/process it creates afterwards) pinned to one CPU with
    os.sched_setaffinity, to separate same-CPU from cross-CPU wake-ups."""
    if not hasattr(os, "sched_setaffinity"):
        record_na("pinned variants", "os.sched_setaffinity not available")
        return
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(old)})
    try:
        measure_pipe(rnd, PIN_TAG)
        measure_submit(rnd, PIN_TAG, procs=False)
        measure_threadpool(rnd, PIN_TAG)
        measure_event(rnd, PIN_TAG)
    finally:
        os.sched_setaffinity(0, old)


# ---------------------------------------------------------------- main

SECTIONS = [
    # process pools first: small parent RSS at fork time, no leftover threads
    ("procpool", measure_procpool),
    ("pipe", measure_pipe),
    ("submit", measure_submit),
    ("threadpool", measure_threadpool),
    ("event", measure_event),
    ("pinned", measure_pinned),
    ("pickle", measure_pickle),
    ("asyncio", measure_asyncio),
    ("interp", measure_interp),
]


def machine_info():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "nproc=%s, CPU model=%s, kernel=%s, python=%s (%s)" % (
        os.cpu_count(), model, platform.release(), sys.version.split()[0], sys.executable)


def cpu_snapshot():
    """(busy seconds of the whole machine from /proc/stat, this process tree's CPU seconds,
    wall seconds); used to estimate how much CPU other programs used during a round."""
    try:
        with open("/proc/stat") as f:
            vals = [int(x) for x in f.readline().split()[1:]]
        hz = os.sysconf("SC_CLK_TCK")
        idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
        busy = (sum(vals[:8]) - idle) / hz
    except (OSError, ValueError, IndexError):
        busy = float("nan")
    t = os.times()
    return busy, t.user + t.system + t.children_user + t.children_system, time.monotonic()


def background_cpu(a, b):
    """Average number of CPUs kept busy by other programs between snapshots a and b."""
    wall = b[2] - a[2]
    if wall <= 0:
        return float("nan")
    return max(0.0, ((b[0] - a[0]) - (b[1] - a[1])) / wall)


def loadavg():
    try:
        return "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "?"


def main(argv):
    only = None
    rounds = 5
    if "--only" in argv:
        only = set(argv[argv.index("--only") + 1].split(","))
    if "--rounds" in argv:
        rounds = int(argv[argv.index("--rounds") + 1])
    warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads running
    info = machine_info()
    la0 = loadavg()
    print("# " + info + "; load average " + la0, file=sys.stderr, flush=True)
    t_start = NS()
    bg = []
    for rnd in range(rounds):
        snap = cpu_snapshot()
        for name, fn in SECTIONS:
            if only is not None and name not in only:
                continue
            print("## round %d/%d: %s" % (rnd + 1, rounds, name), file=sys.stderr, flush=True)
            try:
                fn(rnd)
            except Exception as e:  # last-resort guard per section
                record_na("section %s" % name, e)
        bg.append(background_cpu(snap, cpu_snapshot()))
        print("## round %d: CPUs busy with other programs ~ %.2f" % (rnd + 1, bg[-1]),
              file=sys.stderr, flush=True)
    total = (NS() - t_start) / 1e9

    print("Machine: " + info)
    print("Load average at start: %s, at end: %s; rounds: %d; total time %.1f s"
          % (la0, loadavg(), rounds, total))
    print("CPUs kept busy by other programs, per round (from /proc/stat minus this process tree; "
          "approximate): " + ", ".join("%.2f" % x for x in bg))
    print()
    print("| quantity | value (median of N) | python | how measured |")
    print("|---|---|---|---|")
    for q, e in RESULTS.items():
        print("| %s | %s | %s | %s |" % (q, format_entry(e), PYVER, e["how"].replace("|", "/")))


if __name__ == "__main__":
    main(sys.argv[1:])
