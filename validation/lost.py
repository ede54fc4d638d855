"""Lost updates of a shared global by two threads: `x += 1` (KIND plus) and
`x = x + f()` with f a Python function returning 1 (KIND call), N times each.

    python lost.py --kind plus --n 1000000

Prints n, iter_ns (one loop iteration, one thread alone), lost (the updates
lost: 2N - x) and lost_fraction (lost / 2N).
"""
import threading

import vlib

x = 0


def f():
    return 1


def plus(n):
    global x
    for _ in range(n):
        x += 1


def call(n):
    global x
    for _ in range(n):
        x = x + f()


def main():
    global x
    a = vlib.args({"kind": "plus", "n": 1000000})
    body = {"plus": plus, "call": call}[a["kind"]]
    t0 = vlib.now()
    body(a["n"] // 4)
    alone = (vlib.now() - t0) / (a["n"] // 4)
    x = 0
    threads = [threading.Thread(target=body, args=(a["n"],)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = 2 * a["n"] - x
    vlib.emit({"n": a["n"], "iter_ns": alone * 1e9, "lost": lost, "lost_fraction": lost / (2.0 * a["n"])})


if __name__ == "__main__":
    main()
