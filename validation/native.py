"""C calls in threads: hashlib.sha256 over a large buffer and zlib.compress,
THREADS calls at once against the same calls one after another.

    python native.py --kind sha256 --threads 2 --mb 8

Whether a call releases the GIL depends on the build, not only on the
version: hashlib.sha256 is OpenSSL's when the interpreter was built with it
(Modules/_hashopenssl.c releases the GIL for data of HASHLIB_GIL_MINSIZE,
2048 bytes, or more), otherwise the built-in module's (2.7's
Modules/sha256module.c never releases it). zlib.compress releases it around
each deflate() call (Modules/zlibmodule.c, 2.7.14+ and 3.x). So the program
does not guess: it probes. A Python thread counts while one call runs; if the
GIL is held for the call, the counter cannot run (a C call does not reach
the eval loop's switch check), so it counts next to nothing.

Prints call_ns (one call alone), released (1 if the probe counted during the
call, else 0), gil_free_ns and gil_held_ns (the call's time without and with
the GIL: call_ns and 0, or 0 and call_ns), probe_fraction (the probe's count
during the call over its count in as long alone), seq_ns, threads_ns and
speedup (sequential / threads).
"""
import hashlib
import threading
import zlib

import vlib


def count_for(seconds):
    """How far a Python loop counts in `seconds` of wall time."""
    n, end = 0, vlib.now() + seconds
    while vlib.now() < end:
        n += 1
    return n


def probe(call, call_s):
    """The probe thread's count while `call` runs, over its count alone in as
    long. Near 1 when the call releases the GIL (on 2+ CPUs), near 0 when it
    holds it."""
    alone = count_for(call_s)
    counted, stop, started = [0], [False], threading.Event()

    def counter():
        started.set()
        while not stop[0]:
            counted[0] += 1
            vlib.now()  # the same loop body as count_for's
    t = threading.Thread(target=counter)
    t.start()
    started.wait()
    call()
    stop[0] = True
    t.join()
    return counted[0] / float(max(1, alone))


def main():
    a = vlib.args({"kind": "sha256", "threads": 2, "mb": 8})
    if a["kind"] == "sha256":
        data = b"\x5a" * (a["mb"] << 20)

        def call():
            hashlib.sha256(data).digest()
    elif a["kind"] == "zlib":
        # Compressible but not trivial: a repeating pattern of 251 bytes.
        data = bytes(bytearray(i % 251 for i in range(a["mb"] << 18))) * 4

        def call():
            zlib.compress(data, 6)
    else:
        raise SystemExit("--kind is sha256 or zlib")
    call()  # warm up
    t0 = vlib.now()
    for _ in range(a["threads"]):
        call()
    seq = vlib.now() - t0
    threads = [threading.Thread(target=call) for _ in range(a["threads"])]
    wall = vlib.run_threads(threads)
    call_s = seq / a["threads"]
    fraction = probe(call, call_s)
    released = 1 if fraction > 0.3 else 0
    call_ns = vlib.ns(call_s)
    vlib.emit({"threads": a["threads"], "call_ns": call_ns, "released": released, "probe_fraction": fraction,
               "gil_free_ns": call_ns if released else 0, "gil_held_ns": 0 if released else call_ns,
               "seq_ns": vlib.ns(seq), "threads_ns": vlib.ns(wall), "speedup": seq / wall})


if __name__ == "__main__":
    main()
