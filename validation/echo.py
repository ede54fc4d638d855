"""A loopback TCP echo server thread beside CPU-bound threads (the convoy
effect; CPython 3.2+ only, it sets sys.setswitchinterval). The client is
another process (this file with --client PORT): it sends 64 bytes and waits
for them back, again and again, for SECONDS. The server thread runs in this
process: recv (a blocking call that releases the GIL), then sendall.

    python echo.py --cpu 1 --interval-ms 5 --seconds 0.5

Phase 1: the server alone for SECONDS/2; phase 2: beside CPU threads for
SECONDS. Prints alone_requests, alone_ns, alone_rtt_p50_ns, requests, ns,
rtt_p50_ns, ratio (the throughput beside the CPU threads over alone), and
send_ns: the median sendall alone (a loopback send runs the receiving side's
TCP and wakes the client within the call: ~11 us here, with the GIL released).
"""
import json
import socket
import subprocess
import sys
import threading

import vlib


def client(port, seconds):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    msg = b"x" * 64
    rtts = []
    start = vlib.now()
    while vlib.now() - start < seconds:
        t0 = vlib.now()
        s.sendall(msg)
        got = 0
        while got < len(msg):
            got += len(s.recv(len(msg) - got))
        rtts.append(vlib.now() - t0)
    wall = vlib.now() - start
    s.close()
    print(json.dumps({"requests": len(rtts), "ns": vlib.ns(wall), "rtt_p50_ns": vlib.ns(vlib.median(rtts))}))


def serve(listener, sends):
    conn, _ = listener.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = conn.recv(4096)
        if not data:
            break
        t0 = vlib.now()
        conn.sendall(data)
        sends.append(vlib.now() - t0)
    conn.close()


def phase(seconds):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    sends = []
    server = threading.Thread(target=serve, args=(listener, sends))
    server.start()
    out = subprocess.check_output([sys.executable, __file__, "--client", str(listener.getsockname()[1]),
                                   "--seconds", str(seconds)])
    server.join()
    listener.close()
    result = json.loads(out.decode())
    result["send_ns"] = vlib.ns(vlib.median(sends)) if sends else 0
    return result


stop = [False]


def spin():
    while not stop[0]:
        pass


def main():
    a = vlib.args({"cpu": 1, "interval_ms": 5.0, "seconds": 0.5, "client": 0})
    if a["client"]:
        return client(a["client"], a["seconds"])
    sys.setswitchinterval(a["interval_ms"] / 1000.0)
    alone = phase(a["seconds"] / 2)
    spinners = [threading.Thread(target=spin) for _ in range(a["cpu"])]
    for t in spinners:
        t.start()
    beside = phase(a["seconds"])
    stop[0] = True
    for t in spinners:
        t.join()
    rate_alone = alone["requests"] / (alone["ns"] / 1e9)
    rate = beside["requests"] / (beside["ns"] / 1e9)
    vlib.emit({"cpu_threads": a["cpu"], "interval_ms": a["interval_ms"],
               "alone_requests": alone["requests"], "alone_ns": alone["ns"], "alone_rtt_p50_ns": alone["rtt_p50_ns"],
               "alone_per_s": rate_alone, "requests": beside["requests"], "ns": beside["ns"],
               "rtt_p50_ns": beside["rtt_p50_ns"], "per_s": rate, "ratio": rate / rate_alone,
               "send_ns": alone["send_ns"]})


if __name__ == "__main__":
    main()
