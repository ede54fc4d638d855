"""Count-down threads against the same work done sequentially (Beazley's
count-down): `while n > 0: n -= 1`, TOTAL iterations split over THREADS
threads, and the same iterations one count-down after another.

    python countdown.py --threads 2 --pin 0 --total 3000000

--pin 1 first puts the whole process on one CPU (os.sched_setaffinity).
Prints seq_ns, threads_ns, ratio (threads / sequential) and cpu_wall (the
threaded run's CPU time over its wall time).
"""
import threading

import vlib


def countdown(n):
    while n > 0:
        n -= 1


def main():
    a = vlib.args({"threads": 2, "pin": 0, "total": 3000000})
    if a["pin"]:
        vlib.pin_to_one_cpu()
    share = a["total"] // a["threads"]
    countdown(share // 10)  # warm up
    t0 = vlib.now()
    for _ in range(a["threads"]):
        countdown(share)
    seq = vlib.now() - t0
    threads = [threading.Thread(target=countdown, args=(share,)) for _ in range(a["threads"])]
    c0 = vlib.cpu_time()
    wall = vlib.run_threads(threads)
    cpu = vlib.cpu_time() - c0
    vlib.emit({"threads": a["threads"], "pinned": a["pin"], "seq_ns": vlib.ns(seq), "threads_ns": vlib.ns(wall),
               "ratio": wall / seq, "cpu_wall": cpu / wall})


if __name__ == "__main__":
    main()
