"""CPU-bound threads at a short switch interval, against one thread doing the
same work: TOTAL iterations of a count-down that also counts GIL hand-offs
(a thread that finds another ran the loop last counts one), split over
THREADS threads, at sys.setswitchinterval(INTERVAL_US / 1e6).

    python smallint.py --threads 8 --interval-us 1 --slack-ns 1 --total 2000000

--slack-ns N first sets this process's timer slack to N ns (Linux's
prctl(PR_SET_TIMERSLACK); the threads it starts inherit it); 0 keeps the
default (50 us for a normal thread). With the default slack a 1 us timed wait
lasts ~50 us; with 1 ns it ends on time, as on a machine without timer slack.
Prints one_ns, threads_ns, ratio (threads / one), handoffs_per_s, cpu_wall
(the threaded run's) and slack_ns (the slack in force; left out where prctl
is not available, and then the twin takes Linux's default, 50 us). A slack
that was asked for and cannot be set ends the program with an error.
"""
import sys
import threading

import vlib

PR_SET_TIMERSLACK, PR_GET_TIMERSLACK = 29, 30

last = [None]
switches = [0]


def work(me, k):
    while k > 0:
        k -= 1
        if last[0] is not me:
            last[0] = me
            switches[0] += 1


def timer_slack(ns):
    """Sets the slack if ns > 0; returns the slack in force, or -1."""
    try:
        libc = vlib._libc()
        if ns > 0 and libc.prctl(PR_SET_TIMERSLACK, ns, 0, 0, 0) != 0:
            return -1
        return libc.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0)
    except Exception:
        return -1


def timed(n, share):
    threads = [threading.Thread(target=work, args=(i, share)) for i in range(n)]
    switches[0] = 0
    last[0] = None
    c0 = vlib.cpu_time()
    wall = vlib.run_threads(threads)
    return wall, vlib.cpu_time() - c0, max(0, switches[0] - n)


def main():
    a = vlib.args({"threads": 8, "interval_us": 1.0, "slack_ns": 0, "total": 2000000})
    slack = timer_slack(a["slack_ns"])
    # A slack asked for and not set would be measured as if it were: refuse.
    if a["slack_ns"] > 0 and slack != a["slack_ns"]:
        sys.exit("smallint.py: cannot set the timer slack to %d ns (prctl PR_SET_TIMERSLACK is Linux's)"
                 % a["slack_ns"])
    sys.setswitchinterval(a["interval_us"] / 1e6)
    n = a["threads"]
    share = a["total"] // n
    work(None, share // 10)  # warm up
    one, _, _ = timed(1, share * n)
    wall, cpu, handoffs = timed(n, share)
    out = {"threads": n, "interval_us": a["interval_us"], "one_ns": vlib.ns(one), "threads_ns": vlib.ns(wall),
           "ratio": wall / one, "handoffs_per_s": handoffs / wall, "cpu_wall": cpu / wall}
    if slack >= 0:
        out["slack_ns"] = slack
    vlib.emit(out)


if __name__ == "__main__":
    main()
