"""GIL hand-offs per second between two CPU-bound threads, counted in
Python: each thread spins, and whenever it finds that the last thread to run
the loop was the other one, it counts a hand-off. Runs for SECONDS.

    python handoffs.py --seconds 0.5 --pin 0

Prints handoffs (the count), wall_ns, handoffs_per_s and cpu_wall.
"""
import threading
import time

import vlib

last = [None]
switches = [0]
stop = [False]


def spin(me):
    while not stop[0]:
        if last[0] is not me:
            last[0] = me
            switches[0] += 1


def main():
    a = vlib.args({"seconds": 0.5, "pin": 0})
    if a["pin"]:
        vlib.pin_to_one_cpu()
    threads = [threading.Thread(target=spin, args=(i,)) for i in range(2)]
    c0, t0 = vlib.cpu_time(), vlib.now()
    for t in threads:
        t.start()
    time.sleep(a["seconds"])
    stop[0] = True
    for t in threads:
        t.join()
    wall = vlib.now() - t0
    cpu = vlib.cpu_time() - c0
    # The first run of each thread is a start, not a hand-off.
    handoffs = max(0, switches[0] - 2)
    vlib.emit({"handoffs": handoffs, "wall_ns": vlib.ns(wall), "handoffs_per_s": handoffs / wall,
               "cpu_wall": cpu / wall})


if __name__ == "__main__":
    main()
