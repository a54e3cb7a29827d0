#!/usr/bin/env python3
"""Capture libketama test vectors -> ../vectors/libketama.json

Two real implementations are used:

1. uhashring (PyPI `uhashring`, HashRing(hash_fn="ketama")) -- always.
   Expects `import uhashring` to work (pip install uhashring); installs nothing.
2. The original C libketama (RJ/ketama libketama/ketama.c) -- only when the
   environment variable KETAMA_SRC points at a checkout of RJ/ketama (the
   directory that contains libketama/ketama.c).  ketama.c is compiled
   unmodified together with ./libketama_harness.c (gcc; OpenSSL's MD5 via
   ./libketama_shim/md5.h if the checkout has no md5.c).  Build products live
   in a temp dir; the SysV shm/semaphore that ketama_roll() creates are
   removed by the harness.  Without KETAMA_SRC, previously captured
   libketama-C entries in the output file are kept unchanged.

The two differ in three documented places (see ../SPEC.md section 2):
points per server (float vs integer arithmetic), `>=` vs `>` at an exact hit,
and which server owns a duplicated point.  Configs are chosen to exhibit the
first two; each entry records its `flavour`.

Also recorded, from upstream's own tests (not computed here):
  * libketama/test.sh: md5 of `ketama_test ../ketama.servers` output for keys
    "0".."999999" must be 5672b131391f5aa2b280936aec1eea74
  * python_ketama/tests.py: hashi("test") == 3446378249 and
    get_server("test") == (3454255383, "127.0.0.1:11211") with 2 servers.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import vecjson  # noqa: E402  (sibling module: shared JSON layout)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "vectors", "libketama.json")

UPSTREAM_MD5 = "5672b131391f5aa2b280936aec1eea74"

CONFIGS = [
    {
        "name": "ketama.servers",
        "note": "server list of upstream's libketama test (RJ/ketama ketama.servers)",
        "servers": [("10.0.1.1:11211", 600), ("10.0.1.2:11211", 300), ("10.0.1.3:11211", 200),
                    ("10.0.1.4:11211", 350), ("10.0.1.5:11211", 1000), ("10.0.1.6:11211", 800),
                    ("10.0.1.7:11211", 950), ("10.0.1.8:11211", 100)],
        "keys": [str(i) for i in range(200)],
    },
    {
        "name": "python_ketama-tests",
        "note": "server list of upstream's python_ketama/tests.py",
        "servers": [("127.0.0.1:11211", 600), ("127.0.0.1:11212", 400)],
        "keys": ["test"],
    },
    {
        "name": "three-equal",
        "servers": [("10.0.0.1:11211", 1), ("10.0.0.2:11211", 1), ("10.0.0.3:11211", 1)],
        "keys": None,  # default key set
    },
    {
        "name": "hostnames-weighted",
        "servers": [("cache-a:11211", 1), ("cache-b:11211", 2), ("cache-c:11211", 3),
                    ("cache-d", 5)],
        "keys": None,
    },
    {
        "name": "float-rounding-up",
        "note": "10.0.0.3: exact 96010/211011*200 = 90.999995 -> 90 hashes in uhashring (integer "
                "floor); libketama: (float)pct = 0.45499998, *40.0*5 = 90.99999666 (double) -> "
                "(float) 91.0 -> floorf = 91 hashes (364 points)",
        "servers": [("10.0.0.1:11211", 7), ("10.0.0.2:11211", 9), ("10.0.0.3:11211", 96010),
                    ("10.0.0.4:11211", 91077), ("10.0.0.5:11211", 23908)],
        "keys": None,
    },
    {
        "name": "sixty-one-equal",
        "note": "61 equal weights: (float)(1/61)*40*61 = 39.99999... -> floorf 39, so libketama "
                "gives every server 39 hashes (156 points, 9516 total) instead of 40; uhashring 40",
        "servers": [("10.0.1.%d:11211" % i, 1) for i in range(1, 62)],
        "keys": None,
    },
    {
        "name": "collide-ab",
        "note": "point 1691054823 = md5('h49:11211-5') word 0 = md5('h792:11211-23') word 2 "
                "(found by brute force); keys coll-* hash just below/at it",
        "servers": [("h49:11211", 1), ("h792:11211", 1)],
        "keys": None,
        "collision": 1691054823,
    },
    {
        "name": "collide-ba",
        "note": "same two servers in the other order",
        "servers": [("h792:11211", 1), ("h49:11211", 1)],
        "keys": None,
        "collision": 1691054823,
    },
    {
        "name": "float-rounding-down",
        "note": "weight 6 of 2640 with 11 servers: exactly 6/2640*440 = 1 hash, but libketama "
                "computes float(6/2640)*440 = 0.99999997 -> (float) 0.99999994 -> floorf 0, so "
                "10.0.0.1 and 10.0.0.6 get no points; uhashring (integer) gives them 4 points each",
        "servers": [("10.0.0.1:11211", 6), ("10.0.0.2:11211", 10), ("10.0.0.3:11211", 889),
                    ("10.0.0.4:11211", 705), ("10.0.0.5:11211", 526), ("10.0.0.6:11211", 6),
                    ("10.0.0.7:11211", 471), ("10.0.0.8:11211", 5), ("10.0.0.9:11211", 8),
                    ("10.0.0.10:11211", 9), ("10.0.0.11:11211", 5)],
        "keys": None,
    },
]


def default_keys(cfg):
    keys = ["key-%d" % i for i in range(300)]
    keys += ["", "a", "user:1000", "session/8f14e45f", "ключ", "キー", "x" * 200]
    # exact hits: ketama_hashi("<server>-0") is that server's first point
    keys += ["%s-0" % name for name, _ in cfg["servers"]]
    return keys


def edge_keys(cfg):
    return ["%s-0" % name for name, _ in cfg["servers"]] + ["%s-1" % cfg["servers"][0][0]]


def collision_keys(cfg, count=8):
    """Keys whose ketama hash lands in (previous point, collided point]."""
    pts = set()
    for name, _ in cfg["servers"]:
        for k in range(40):
            d = hashlib.md5(("%s-%d" % (name, k)).encode()).digest()
            pts.update(int.from_bytes(d[4 * h:4 * h + 4], "little") for h in range(4))
    pts = sorted(pts)
    p = cfg["collision"]
    lo = pts[pts.index(p) - 1]
    keys, i = [], 0
    while len(keys) < count:
        k = "coll-%d" % i
        if lo < hashi(k) <= p:
            keys.append(k)
        i += 1
    return keys


def keys_for(cfg):
    extra = collision_keys(cfg) if "collision" in cfg else []
    if cfg["keys"] is None:
        return extra + default_keys(cfg)
    return extra + cfg["keys"] + edge_keys(cfg)


def hashi(key):
    return int.from_bytes(hashlib.md5(key.encode()).digest()[:4], "little")


def capture_uhashring(cfg):
    from uhashring import HashRing

    ring = HashRing(nodes={n: w for n, w in cfg["servers"]}, hash_fn="ketama")
    cases = []
    for k in keys_for(cfg):
        point, name = ring.get_server(k)
        cases.append({"key": k, "expected": name, "point": point, "key_hash": ring.hashi(k)})
    return {"points": len(ring.runtime._keys), "cases": cases}


def build_harness(src, tmp):
    kdir = os.path.join(src, "libketama")
    csrc = [os.path.join(HERE, "libketama_harness.c"), os.path.join(kdir, "ketama.c")]
    inc = ["-I" + kdir]
    if os.path.exists(os.path.join(kdir, "md5.c")):
        csrc.append(os.path.join(kdir, "md5.c"))
    else:
        inc.append("-I" + os.path.join(HERE, "libketama_shim"))
    exe = os.path.join(tmp, "libketama_harness")
    subprocess.run(["gcc", "-O2", "-w", "-o", exe] + inc + csrc + ["-lcrypto", "-lm"], check=True)
    return exe


def run_harness(exe, tmp, cfg, keys):
    sfile = os.path.join(tmp, cfg["name"] + ".servers")
    with open(sfile, "w") as f:
        for n, w in cfg["servers"]:
            f.write("%s\t%d\n" % (n, w))
    res = subprocess.run([exe, sfile], input=("\n".join(keys) + "\n").encode(),
                         stdout=subprocess.PIPE, check=True)
    lines = res.stdout.decode().split("\n")
    assert lines[0].startswith("numpoints "), lines[0]
    return int(lines[0].split()[1]), lines[1:1 + len(keys)]


def capture_libketama_c(exe, tmp, cfg):
    keys = keys_for(cfg)
    numpoints, lines = run_harness(exe, tmp, cfg, keys)
    cases = []
    for k, line in zip(keys, lines):
        kh, point, ip = line.split(" ", 2)
        cases.append({"key": k, "expected": ip, "point": int(point), "key_hash": int(kh)})
    return {"points": numpoints, "cases": cases}


def libketama_md5_test(exe, tmp):
    cfg = CONFIGS[0]
    keys = [str(i) for i in range(1000000)]
    _, lines = run_harness(exe, tmp, cfg, keys)
    return hashlib.md5(("\n" + "\n".join(lines) + "\n").encode()).hexdigest()


def uhashring_md5_test():
    from uhashring import HashRing

    ring = HashRing(nodes={n: w for n, w in CONFIGS[0]["servers"]}, hash_fn="ketama")
    md = hashlib.md5(b"\n")
    for i in range(1000000):
        p, ip = ring.get_server(str(i))
        md.update(b"%d %d %s\n" % (ring.hashi(str(i)), p, ip.encode()))
    return md.hexdigest()


def main():
    import uhashring  # noqa: F401  (fail early if missing)

    uh_version = "unknown"
    try:
        from importlib.metadata import version
        uh_version = version("uhashring")
    except Exception:
        pass

    old = []
    if os.path.exists(OUT):
        with open(OUT) as f:
            old = json.load(f)

    out = []
    for cfg in CONFIGS:
        r = capture_uhashring(cfg)
        entry = {
            "preset": "libketama",
            "name": cfg["name"] + " [uhashring]",
            "flavour": "uhashring",
            "source": "uhashring %s HashRing(nodes={name: weight}, hash_fn='ketama')"
                      ".get_server(key) on this machine (capture/capture_ketama.py)" % uh_version,
            "servers": [{"name": n, "weight": w} for n, w in cfg["servers"]],
            "points": r["points"],
            "cases": r["cases"],
        }
        if "note" in cfg:
            entry["note"] = cfg["note"]
        out.append(entry)

    src = os.environ.get("KETAMA_SRC")
    if src:
        tmp = tempfile.mkdtemp(prefix="hashhalo-ketama-")
        try:
            exe = build_harness(src, tmp)
            md = libketama_md5_test(exe, tmp)
            print("libketama C: test.sh md5 = %s (%s)" % (md, "OK" if md == UPSTREAM_MD5 else "MISMATCH"))
            if md != UPSTREAM_MD5:
                sys.exit("libketama build does not reproduce upstream test.sh md5")
            for cfg in CONFIGS:
                r = capture_libketama_c(exe, tmp, cfg)
                entry = {
                    "preset": "libketama",
                    "name": cfg["name"] + " [libketama C]",
                    "flavour": "libketama",
                    "source": "RJ/ketama libketama/ketama.c compiled unmodified with "
                              "capture/libketama_harness.c (gcc, x86-64) on this machine",
                    "servers": [{"name": n, "weight": w} for n, w in cfg["servers"]],
                    "points": r["points"],
                    "cases": r["cases"],
                }
                if "note" in cfg:
                    entry["note"] = cfg["note"]
                if cfg is CONFIGS[0]:
                    entry["md5_test"] = {
                        "source": "RJ/ketama libketama/test.sh + ketama_test.c",
                        "keys": "decimal strings \"0\"..\"999999\"",
                        "output": "\"\\n\" then per key \"%u %u %s\\n\" % (ketama_hashi(key), point, server)",
                        "md5": UPSTREAM_MD5,
                    }
                if cfg is CONFIGS[1]:
                    entry["upstream_assertions"] = {
                        "source": "RJ/ketama python_ketama/tests.py",
                        "hashi(test)": 3446378249,
                        "get_server(test)": [3454255383, "127.0.0.1:11211"],
                        "len(get_points())": 320,
                    }
                out.append(entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        kept = [e for e in old if e.get("flavour") == "libketama"]
        print("KETAMA_SRC not set: keeping %d previously captured libketama-C entries" % len(kept))
        out.extend(kept)

    md = uhashring_md5_test()
    print("uhashring: test.sh md5 = %s (%s)" % (md, "OK" if md == UPSTREAM_MD5 else "MISMATCH"))

    # upstream python_ketama assertions, checked against uhashring as well
    from uhashring import HashRing
    r = HashRing(nodes={"127.0.0.1:11211": 600, "127.0.0.1:11212": 400}, hash_fn="ketama")
    assert r.hashi("test") == 3446378249
    assert r.get_server("test") == (3454255383, "127.0.0.1:11211")
    assert len(r.get_points()) == 320

    vecjson.dump(OUT, out)
    print("wrote %s: %d configs, %d cases" % (OUT, len(out), sum(len(e["cases"]) for e in out)))


if __name__ == "__main__":
    main()
