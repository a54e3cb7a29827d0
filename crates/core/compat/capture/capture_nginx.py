#!/usr/bin/env python3
"""Capture nginx `hash $arg_key consistent;` vectors -> ../vectors/nginx.json

Expects an `nginx` binary on PATH (or in $NGINX; Debian: apt-get install nginx)
and installs nothing.  It

  1. writes a self-contained nginx.conf into /tmp/hashhalo-nginx-capture/
     (pid, logs, temp paths and unix sockets all live there),
  2. starts nginx in the foreground (daemon off) bound to 127.0.0.1 only
     (plus one [::1] backend), ports BASE..BASE+20 (BASE = $NGINX_CAPTURE_PORT,
     default 38080),
  3. requests GET /<upstream>?key=<key> on the front server for every key and
     records which backend answered (each backend returns its own id),
  4. stops nginx (SIGQUIT, then SIGKILL if needed, by its pid) and deletes
     the temp dir -- also on error.

The server names written in the upstream blocks are what nginx hashes, so the
JSON records them verbatim ("127.0.0.1:38081", "localhost:38091",
"[::1]:38092", "unix:/tmp/hashhalo-nginx-capture/a.sock").  Re-running with a
different BASE port changes the names and therefore the expected mapping;
the committed vectors were captured with the default.

Keys are sent as the raw query-string value: nginx's $arg_key is NOT
URL-decoded, so the hashed key is exactly the bytes after "key=".
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import struct
import zlib

import vecjson  # noqa: E402  (sibling module: shared JSON layout)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "vectors", "nginx.json")
TMP = "/tmp/hashhalo-nginx-capture"
BASE = int(os.environ.get("NGINX_CAPTURE_PORT", "38080"))
FRONT = BASE


def P(i):
    return BASE + i


# backend id -> listen directives (each backend answers with its id)
BACKENDS = {
    "b1": ["127.0.0.1:%d" % P(1)],
    "b2": ["127.0.0.1:%d" % P(2)],
    "b3": ["127.0.0.1:%d" % P(3)],
    "b4": ["127.0.0.1:%d" % P(4)],
    "b5": ["127.0.0.1:%d" % P(5)],
    "b6": ["127.0.0.1:%d" % P(6)],
    "b7": ["127.0.0.1:%d" % P(7)],
    "b8": ["127.0.0.1:%d" % P(8)],
    "b9": ["127.0.0.1:%d" % P(9)],
    "b10": ["127.0.0.1:%d" % P(10)],
    "lh": ["127.0.0.1:%d" % P(11)],          # reached as localhost:P(11)
    "v6": ["[::1]:%d" % P(12)],
    "ua": ["unix:%s/a.sock" % TMP],
    "ub": ["unix:%s/b.sock" % TMP],
    "uc": ["unix:%s/c.sock" % TMP],
    # fixed ports (independent of BASE): a ring-point collision, see COLLISION
    "c1": ["127.0.0.1:38128"],
    "c2": ["127.0.0.1:38317"],
}

# crc32 point #123 of "127.0.0.1:38128" == point #78 of "127.0.0.1:38317"
# == 3067469492 (found by brute force over 127.0.0.1:38100..39000).  Used to
# observe which server keeps a duplicated point after nginx's qsort + dedup.
COLLISION = ("127.0.0.1:38128", "127.0.0.1:38317", 3067469492)
DEAD_PORT = P(19)  # nothing listens here


def s(name, weight=1, backend=None, **flags):
    d = {"name": name, "weight": weight, "backend": backend}
    d.update(flags)
    return d


def ip(i, weight=1, **flags):
    return s("127.0.0.1:%d" % P(i), weight, "b%d" % i, **flags)


UPSTREAMS = [
    ("equal3", "three servers, weight 1", [ip(1), ip(2), ip(3)]),
    ("weighted5", "weights 1,2,3,1,5", [ip(1, 1), ip(2, 2), ip(3, 3), ip(4, 1), ip(5, 5)]),
    ("ten", "ten servers, weights 1..10", [ip(i, i) for i in range(1, 11)]),
    ("down", "4th server marked `down`: its points stay on the ring and are skipped",
     [ip(1), ip(2), ip(3), ip(4, down=True)]),
    ("unreachable", "4th server refuses connections (max_fails=1): after the failed try"
     " nginx continues with the next ring points, same as `down`",
     [ip(1), ip(2), ip(3), s("127.0.0.1:%d" % DEAD_PORT, 1, None, unreachable=True)]),
    ("names", "server strings that are not IPv4:port (hostname, IPv6 literal, no port"
     " digits after a non-digit)",
     [s("localhost:%d" % P(11), 1, "lh"), s("[::1]:%d" % P(12), 2, "v6"), ip(1)]),
    ("down-heavy", "a weight-20 `down` server between two live ones: long runs of its"
     " points make nginx give up after 20 extra points and fall back to round-robin;"
     " such keys are listed in rr_fallback_keys (answers alternate), not in cases",
     [ip(1), ip(2, 20, down=True), ip(3)]),
    ("collide-ab", "two servers sharing one ring point (3067469492); listed A,B",
     [s(COLLISION[0], 1, "c1"), s(COLLISION[1], 1, "c2")]),
    ("collide-ba", "same two servers listed B,A",
     [s(COLLISION[1], 1, "c2"), s(COLLISION[0], 1, "c1")]),
    ("unix", "unix: sockets: host = path after 'unix:', empty port",
     [s("unix:%s/a.sock" % TMP, 1, "ua"), s("unix:%s/b.sock" % TMP, 2, "ub"),
      s("unix:%s/c.sock" % TMP, 1, "uc")]),
]


def make_keys():
    rnd = random.Random(20240601)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
    keys = ["key-%d" % i for i in range(200)]
    keys += ["user%d" % rnd.randrange(10**9) for _ in range(40)]
    keys += ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 64))) for _ in range(50)]
    # raw, not URL-decoded by $arg_key: hashed literally
    keys += ["a%20b", "%2Fpath%2Fto", "x" * 300, "0", "1", "A", "~", "session.8f14e45fceea167a",
             "k%C3%A9y", "UPPER-lower"]
    return keys


def chain(name, n=160):
    """The 160 crc32 points of an IPv4:port server name (for key selection)."""
    host, port = name.rsplit(":", 1)
    base = host.encode() + b"\0" + port.encode()
    out, prev = [], 0
    for _ in range(n):
        prev = zlib.crc32(base + struct.pack("<I", prev))
        out.append(prev)
    return out


def collision_keys(count=8):
    """Keys whose crc32 lands on the collided point (i.e. in (prev, point])."""
    a, b, point = COLLISION
    pts = sorted(set(chain(a) + chain(b)))
    assert point in chain(a) and point in chain(b)
    lo = pts[pts.index(point) - 1]
    keys, i = [], 0
    while len(keys) < count:
        k = "coll-%d" % i
        if lo < zlib.crc32(k.encode()) <= point:
            keys.append(k)
        i += 1
    return keys


def conf_text():
    lines = [
        "worker_processes 1;",
        "daemon off;",
        "pid %s/nginx.pid;" % TMP,
        "error_log %s/error.log warn;" % TMP,
        "events { worker_connections 512; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path %s/client_body;" % TMP,
        "  proxy_temp_path %s/proxy;" % TMP,
        "  fastcgi_temp_path %s/fastcgi;" % TMP,
        "  uwsgi_temp_path %s/uwsgi;" % TMP,
        "  scgi_temp_path %s/scgi;" % TMP,
        "  default_type text/plain;",
    ]
    for bid, listens in BACKENDS.items():
        lines.append("  server {")
        for l in listens:
            lines.append("    listen %s;" % l)
        lines.append('    location / { return 200 "%s"; }' % bid)
        lines.append("  }")
    for name, _, servers in UPSTREAMS:
        lines.append("  upstream %s {" % name)
        lines.append("    hash $arg_key consistent;")
        for sv in servers:
            extra = ""
            if sv.get("weight", 1) != 1:
                extra += " weight=%d" % sv["weight"]
            if sv.get("down"):
                extra += " down"
            if sv.get("unreachable"):
                extra += " max_fails=1 fail_timeout=60s"
            lines.append("    server %s%s;" % (sv["name"], extra))
        lines.append("  }")
    lines.append("  server {")
    lines.append("    listen 127.0.0.1:%d;" % FRONT)
    for name, _, _ in UPSTREAMS:
        lines.append("    location = /%s { proxy_pass http://%s; }" % (name, name))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def get(path, timeout=5):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (FRONT, path), timeout=timeout) as r:
        return r.read().decode()


def stop(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGQUIT)  # graceful shutdown of master + workers
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def main():
    nginx = os.environ.get("NGINX") or shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not nginx:
        sys.exit("nginx not found (apt-get install nginx, or set NGINX=/path/to/nginx)")
    version = subprocess.run([nginx, "-v"], stderr=subprocess.PIPE, check=True).stderr.decode().strip()

    shutil.rmtree(TMP, ignore_errors=True)
    os.makedirs(TMP)
    conf = os.path.join(TMP, "nginx.conf")
    with open(conf, "w") as f:
        f.write(conf_text())
    errlog = os.path.join(TMP, "error.log")
    base_cmd = [nginx, "-p", TMP + "/", "-c", conf, "-e", errlog]
    subprocess.run(base_cmd + ["-t", "-q"], check=True)

    proc = None
    results = []
    try:
        proc = subprocess.Popen(base_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                get("/equal3?key=ping", timeout=1)
                break
            except Exception:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("nginx did not come up; see %s" % errlog)
                time.sleep(0.1)

        keys = make_keys()
        for name, note, servers in UPSTREAMS:
            if name.startswith("collide"):
                keys_here = collision_keys() + keys[:100]
            else:
                keys_here = keys
            by_backend = {sv["backend"]: sv["name"] for sv in servers if sv["backend"]}
            cases = []
            rr_keys = []
            repeat = 4 if name == "down-heavy" else 1
            for k in keys_here:
                seen = {get("/%s?key=%s" % (name, k)) for _ in range(repeat)}
                if len(seen) == 1:
                    cases.append({"key": k, "expected": by_backend[seen.pop()]})
                else:
                    rr_keys.append(k)
            # stability: a second pass must give identical answers
            for c in cases[:50]:
                assert by_backend[get("/%s?key=%s" % (name, c["key"]))] == c["expected"], c
            # empty key -> nginx falls back to round robin (not a vector)
            empty = sorted({get("/%s?key=" % name) for _ in range(2 * len(servers))})
            srv = []
            for sv in servers:
                d = {"name": sv["name"], "weight": sv["weight"]}
                if sv.get("down"):
                    d["down"] = True
                if sv.get("unreachable"):
                    d["unreachable"] = True
                srv.append(d)
            results.append({
                "preset": "nginx",
                "name": name,
                "note": note,
                "source": "%s (Debian package) on 127.0.0.1, upstream { hash $arg_key consistent; }"
                          ", GET /%s?key=<key>, answering backend recorded (capture/capture_nginx.py)"
                          % (version.replace("nginx version: ", ""), name),
                "servers": srv,
                "empty_key_backends_seen": [by_backend[b] for b in empty],
                "cases": cases,
            })
            if repeat > 1:
                results[-1]["rr_fallback_keys"] = rr_keys
            print("%-12s %d keys captured; empty key answered by %d distinct servers%s"
                  % (name, len(cases), len(empty),
                     "; %d keys fell back to round-robin" % len(rr_keys) if repeat > 1 else ""))
    finally:
        stop(proc)
        shutil.rmtree(TMP, ignore_errors=True)

    vecjson.dump(OUT, results)
    print("wrote %s (%d configs, %d cases)" % (OUT, len(results), sum(len(r["cases"]) for r in results)))


if __name__ == "__main__":
    main()
