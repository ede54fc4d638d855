#!/usr/bin/env python3
"""A real CPython server under an open-loop Poisson load, to hold gilsim's
request model against (analysis/calibration/server_check.yaml is the same
server as a gilsim scenario). Standard library only, python3 >= 3.8.

The server is a sync server as gunicorn's gthread worker runs it, reduced to
its mechanism: one process, THREADS threads each blocked in accept() on one
listening socket; a thread that gets a connection reads the request, runs
WORK_MS of CPU-bound pure Python (holding the GIL), answers and closes. The
client is an asyncio loop in another process that opens a connection per
request at Poisson times and times each response from its scheduled send
time (so that a late client does not hide queueing).

    python3 analysis/calibration/server_check.py [--threads 8] [--work-ms 20]
        [--rates 10,25,35,40,45] [--duration 20] [--warmup 3] [--seed 1]
        [--switch-interval 0.005]

prints, per rate, the offered load, throughput, p50, p90 and p99, and the
CPU time each request took in its server thread (time.thread_time: the
service time without the GIL waits), as analysis/calibration/RESULTS.md
records them.
"""
import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import threading
import time


def burn(n):
    """Pure-Python CPU work: it holds the GIL, as a view rendering a page does."""
    x = 0
    for i in range(n):
        x += i * i % 7
    return x


def calibrate(work_ms):
    """Iterations of burn() that take work_ms alone, measured here."""
    n = 20000
    while True:
        t = time.perf_counter()
        burn(n)
        dt = time.perf_counter() - t
        if dt > 0.05:
            break
        n *= 2
    best = min(_timed(burn, n) for _ in range(5))
    return int(n * (work_ms / 1000.0) / best)


def _timed(f, n):
    t = time.perf_counter()
    f(n)
    return time.perf_counter() - t


def serve(port_file, threads, iterations, interval):
    sys.setswitchinterval(interval)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)

    cpu = []  # each request's CPU time (thread_time), for STAT

    def worker():
        while True:
            conn, _ = sock.accept()  # blocks without the GIL
            try:
                if conn.recv(64).startswith(b"STAT"):
                    # The CPU time the requests since the last STAT took in
                    # their threads: the service time, without GIL waits.
                    done = sorted(cpu)
                    del cpu[:]
                    n = len(done)
                    stat = (n, sum(done) / n, done[n // 2], done[n * 9 // 10]) if n else (0, 0, 0, 0)
                    conn.sendall(("%d %.6f %.6f %.6f" % stat).encode())
                    continue
                t = time.thread_time()
                burn(iterations)
                cpu.append(time.thread_time() - t)
                conn.sendall(b"ok")
            finally:
                conn.close()

    for _ in range(threads):
        threading.Thread(target=worker, daemon=True).start()
    with open(port_file, "w") as f:
        f.write(str(sock.getsockname()[1]))
    threading.Event().wait()


async def one_request(port, at, loop, out):
    await asyncio.sleep(max(0.0, at - loop.time()))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET\n")
    await writer.drain()
    await reader.read()
    out.append((at, loop.time()))
    writer.close()


async def server_cpu(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"STAT\n")
    await writer.drain()
    n, mean, p50, p90 = (await reader.read()).split()
    writer.close()
    return int(n), float(mean), float(p50), float(p90)


async def load(port, rate, duration, warmup, rng):
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    t, times = 0.0, []
    while True:
        t += rng.expovariate(rate)
        if t >= duration:
            break
        times.append(start + t)
    done = []
    await asyncio.gather(*(one_request(port, at, loop, done) for at in times))
    lo, hi = start + warmup, start + duration
    latencies = sorted(end - at for at, end in done if lo <= at < hi)
    answered_in_window = sum(1 for _, end in done if lo <= end < hi)
    window = duration - warmup

    def pct(p):  # nearest rank, as gilsim's
        k = max(1, -(-len(latencies) * p // 100))
        return latencies[int(k) - 1]

    n, cpu_mean, cpu_p50, cpu_p90 = await server_cpu(port)
    return {
        "cpu_mean": cpu_mean, "cpu_p90": cpu_p90,
        "offered": sum(1 for at in times if lo <= at < hi) / window,
        "throughput": answered_in_window / window,
        "p50": pct(50), "p90": pct(90), "p99": pct(99),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--work-ms", type=float, default=20.0)
    ap.add_argument("--rates", default="10,25,35,40,45")
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--switch-interval", type=float, default=0.005, help="the server's, in seconds")
    ap.add_argument("--serve", nargs=4, help=argparse.SUPPRESS)  # PORT_FILE THREADS ITERATIONS INTERVAL
    a = ap.parse_args()
    if a.serve:
        serve(a.serve[0], int(a.serve[1]), int(a.serve[2]), float(a.serve[3]))
        return

    iterations = calibrate(a.work_ms)
    work = min(_timed(burn, iterations) for _ in range(5))
    port_file = "/tmp/server_check.%d.port" % os.getpid()
    server = subprocess.Popen([sys.executable, __file__, "--serve", port_file, str(a.threads), str(iterations),
                               repr(a.switch_interval)])
    try:
        while not os.path.exists(port_file) or not open(port_file).read():
            time.sleep(0.05)
        port = int(open(port_file).read())
        print("python %s, %d threads, work %.2f ms alone (%d iterations), switch interval %g s"
              % (sys.version.split()[0], a.threads, work * 1000, iterations, a.switch_interval))
        print("rate/s  offered/s  throughput/s     p50 ms     p90 ms     p99 ms   CPU/request: mean, p90 ms")
        rng = random.Random(a.seed)
        for rate in (float(r) for r in a.rates.split(",")):
            r = asyncio.run(load(port, rate, a.duration, a.warmup, rng))
            print("%6g  %9.2f  %12.2f  %9.2f  %9.2f  %9.2f  %11.2f  %6.2f" % (
                rate, r["offered"], r["throughput"], r["p50"] * 1e3, r["p90"] * 1e3, r["p99"] * 1e3,
                r["cpu_mean"] * 1e3, r["cpu_p90"] * 1e3))
    finally:
        server.kill()
        os.unlink(port_file) if os.path.exists(port_file) else None


if __name__ == "__main__":
    main()
