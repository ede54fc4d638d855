"""C calls that release the GIL, in threads: hashlib.sha256 over a large
buffer and zlib.compress (both drop the GIL for large inputs:
Modules/_hashopenssl.c and Modules/zlibmodule.c, Py_BEGIN_ALLOW_THREADS),
THREADS calls at once against the same calls one after another.

    python native.py --kind sha256 --threads 2 --mb 8

Prints call_ns (one call alone), seq_ns, threads_ns and speedup
(sequential / threads).
"""
import hashlib
import threading
import zlib

import vlib


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
    vlib.emit({"threads": a["threads"], "call_ns": vlib.ns(seq / a["threads"]), "seq_ns": vlib.ns(seq),
               "threads_ns": vlib.ns(wall), "speedup": seq / wall})


if __name__ == "__main__":
    main()
