#!/usr/bin/env python3
"""Independent Python reference implementations of the four HashHalo
compatibility presets (nginx, libketama, envoy-ring, envoy-maglev), plus a
verifier that replays every captured vector in ../vectors/*.json.

Written from ../SPEC.md (which cites the upstream sources); it deliberately
shares no code with the capture scripts.  Standard library only (the optional
`xxhash` PyPI package, if installed, is used solely to cross-check the pure
Python XXH64 below).

Usage:
    python3 reference.py            # verify all vectors + built-in checks
    python3 reference.py --quick    # skip the 1,000,000-key libketama md5 test
"""

import hashlib
import json
import math
import os
import struct
import sys
import zlib

M64 = (1 << 64) - 1

# ---------------------------------------------------------------------------
# Hash primitives
# ---------------------------------------------------------------------------


def crc32(data: bytes) -> int:
    """CRC-32/ISO-HDLC (zlib, reflected poly 0xEDB88320, init/xorout 0xFFFFFFFF).
    This is what nginx's ngx_crc32_* computes."""
    return zlib.crc32(data) & 0xFFFFFFFF


_P1 = 11400714785074694791
_P2 = 14029467366897019727
_P3 = 1609587929392839161
_P4 = 9650029242287828579
_P5 = 2870177450012600261


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & M64


def _xround(acc: int, lane: int) -> int:
    acc = (acc + lane * _P2) & M64
    acc = _rotl(acc, 31)
    return (acc * _P1) & M64


def _xmerge(acc: int, val: int) -> int:
    acc ^= _xround(0, val)
    return (acc * _P1 + _P4) & M64


def xxh64(data: bytes, seed: int = 0) -> int:
    """XXH64 (xxHash 64-bit), pure Python."""
    n = len(data)
    p = 0
    if n >= 32:
        v1 = (seed + _P1 + _P2) & M64
        v2 = (seed + _P2) & M64
        v3 = seed & M64
        v4 = (seed - _P1) & M64
        while p + 32 <= n:
            a, b, c, d = struct.unpack_from("<4Q", data, p)
            v1 = _xround(v1, a)
            v2 = _xround(v2, b)
            v3 = _xround(v3, c)
            v4 = _xround(v4, d)
            p += 32
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & M64
        h = _xmerge(h, v1)
        h = _xmerge(h, v2)
        h = _xmerge(h, v3)
        h = _xmerge(h, v4)
    else:
        h = (seed + _P5) & M64
    h = (h + n) & M64
    while p + 8 <= n:
        (k,) = struct.unpack_from("<Q", data, p)
        h ^= _xround(0, k)
        h = (_rotl(h, 27) * _P1 + _P4) & M64
        p += 8
    if p + 4 <= n:
        (k,) = struct.unpack_from("<I", data, p)
        h ^= (k * _P1) & M64
        h = (_rotl(h, 23) * _P2 + _P3) & M64
        p += 4
    while p < n:
        h ^= (data[p] * _P5) & M64
        h = (_rotl(h, 11) * _P1) & M64
        p += 1
    h ^= h >> 33
    h = (h * _P2) & M64
    h ^= h >> 29
    h = (h * _P3) & M64
    h ^= h >> 32
    return h


def murmur2_64_libstdcxx(data: bytes, seed: int = 0xC70F6907) -> int:
    """libstdc++ std::_Hash_bytes (64-bit size_t), as copied into Envoy's
    MurmurHash::murmurHash2 (source/common/common/hash.cc)."""
    mul = 0xC6A4A7935BD1E995

    def shift_mix(v):
        return v ^ (v >> 47)

    n = len(data)
    aligned = n & ~7
    h = (seed ^ ((n * mul) & M64)) & M64
    for p in range(0, aligned, 8):
        (v,) = struct.unpack_from("<Q", data, p)
        d = (shift_mix((v * mul) & M64) * mul) & M64
        h ^= d
        h = (h * mul) & M64
    if n & 7:
        v = int.from_bytes(data[aligned:], "little")
        h ^= v
        h = (h * mul) & M64
    h = (shift_mix(h) * mul) & M64
    return shift_mix(h)


def f32(x: float) -> float:
    """Round a double to the nearest IEEE binary32 value (round-half-even)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def first_ge(points, h):
    """Index of the first element of sorted `points` that is >= h
    (len(points) if none)."""
    lo, hi = 0, len(points)
    while lo < hi:
        mid = (lo + hi) // 2
        if points[mid] < h:
            lo = mid + 1
        else:
            hi = mid
    return lo


def ketama_search(points, h):
    """Literal port of libketama's ketama_get_server() binary search
    (also Envoy RingHash::Ring::chooseHost).  Returns an index into points."""
    n = len(points)
    lowp, highp = 0, n
    while True:
        midp = (lowp + highp) // 2  # both non-negative here
        if midp == n:
            return 0
        midval = points[midp]
        midval1 = 0 if midp == 0 else points[midp - 1]
        if midval1 < h <= midval:
            return midp
        if midval < h:
            lowp = midp + 1
        else:
            highp = midp - 1
        if lowp > highp:
            return 0


# ---------------------------------------------------------------------------
# nginx: hash $key consistent;
# ---------------------------------------------------------------------------


def nginx_split(server: str):
    """ngx_http_upstream_init_chash host/port split of the server string."""
    s = server.encode()
    if len(s) >= 5 and s[:5].lower() == b"unix:":
        return s[5:], b""
    j = 0
    while j < len(s):
        c = s[len(s) - j - 1]
        if c == ord(":"):
            return s[: len(s) - j - 1], s[len(s) - j :]
        if c < ord("0") or c > ord("9"):
            break
        j += 1
    return s, b""


def nginx_build(servers):
    """servers: list of dicts {name, weight[, down]} in config order.
    Returns sorted, de-duplicated list of (hash, server_name)."""
    pts = []
    for idx, s in enumerate(servers):
        host, port = nginx_split(s["name"])
        base = host + b"\x00" + port
        prev = 0
        for _ in range(160 * s.get("weight", 1)):
            h = crc32(base + struct.pack("<I", prev))
            pts.append((h, idx, s["name"]))
            prev = h
    # qsort by hash; on equal hashes the kept entry is unspecified in nginx
    # (qsort is not stable).  We keep the one from the earliest server.
    pts.sort(key=lambda t: (t[0], t[1]))
    out = []
    for h, _, name in pts:
        if out and out[-1][0] == h:
            continue
        out.append((h, name))
    return out


def nginx_lookup(ring, servers, key: str, max_tries=20):
    """Returns the server name chosen for `key` (first attempt of a request),
    skipping servers marked down exactly like ngx_http_upstream_get_chash_peer.
    Returns None where nginx would fall back to round-robin."""
    if len(servers) == 1 or key == "":
        return None  # peers->single / empty key -> round robin
    down = {s["name"] for s in servers if s.get("down") or s.get("unreachable")}
    hashes = [p[0] for p in ring]
    i = first_ge(hashes, crc32(key.encode()))
    tries = 0
    while True:
        name = ring[i % len(ring)][1]
        if name not in down:
            return name
        i += 1
        tries += 1
        if tries > max_tries:
            return None


# ---------------------------------------------------------------------------
# libketama
# ---------------------------------------------------------------------------


def ketama_hashi(key: bytes, replica: int = 0) -> int:
    d = hashlib.md5(key).digest()
    return struct.unpack_from("<I", d, 4 * replica)[0]


def ketama_points_per_server_libketama(weight, total, nservers):
    """unsigned ks = floorf( (float)w/(float)total * 40.0 * (float)n )."""
    pct = f32(f32(float(weight)) / f32(float(total)))
    x = pct * 40.0 * float(f32(float(nservers)))  # evaluated in double
    return int(math.floor(f32(x)))  # double -> float conversion, floorf


def ketama_points_per_server_uhashring(weight, total, nservers, vnodes=40):
    return (vnodes * nservers * weight) // total


def ketama_build(servers, flavour="libketama"):
    """servers: list of {name, weight}.  Returns sorted list of (point, name)."""
    total = sum(s["weight"] for s in servers)
    n = len(servers)
    pts = []
    for idx, s in enumerate(servers):
        if flavour == "libketama":
            ks = ketama_points_per_server_libketama(s["weight"], total, n)
        else:
            ks = ketama_points_per_server_uhashring(s["weight"], total, n)
        for k in range(ks):
            d = hashlib.md5(("%s-%d" % (s["name"], k)).encode()).digest()
            for h in range(4):
                pts.append((struct.unpack_from("<I", d, 4 * h)[0], idx, s["name"]))
    if flavour == "libketama":
        # glibc qsort (merge sort when memory allows) is stable: equal points
        # keep insertion order, and the search returns the first of them.
        pts.sort(key=lambda t: (t[0], t[1]))
        return [(p, name) for p, _, name in pts]
    # uhashring: dict point->name (last writer wins), keys list keeps dups
    ring = {}
    for p, _, name in pts:
        ring[p] = name
    return [(p, ring[p]) for p, _, _ in sorted(pts, key=lambda t: t[0])]


def ketama_lookup(cont, key: str, flavour="libketama"):
    """Returns (point, name)."""
    h = ketama_hashi(key.encode())
    points = [p for p, _ in cont]
    if flavour == "libketama":
        i = ketama_search(points, h)
    else:  # uhashring: bisect_right, wrap
        lo, hi = 0, len(points)
        while lo < hi:
            mid = (lo + hi) // 2
            if h < points[mid]:
                hi = mid
            else:
                lo = mid + 1
        i = 0 if lo == len(points) else lo
    return cont[i]


def libketama_test_md5(servers, nkeys=1000000):
    """Reproduce libketama/test.sh: md5 of `ketama_test ketama.servers`."""
    cont = ketama_build(servers, "libketama")
    points = [p for p, _ in cont]
    md = hashlib.md5()
    md.update(b"\n")  # printf("%s\n", ketama_error()) with empty error
    chunks = []
    for i in range(nkeys):
        k = str(i).encode()
        kh = ketama_hashi(k)
        p, ip = cont[ketama_search(points, kh)]
        chunks.append(b"%d %d %s\n" % (kh, p, ip.encode()))
        if len(chunks) >= 10000:
            md.update(b"".join(chunks))
            chunks = []
    md.update(b"".join(chunks))
    return md.hexdigest()


# ---------------------------------------------------------------------------
# Envoy: weight normalisation (thread_aware_lb_impl.cc)
# ---------------------------------------------------------------------------


def envoy_normalize(hosts, localities=None):
    """hosts: list of {name, weight[, hash_key][, locality]} in host-set order.
    localities: None, or list of (locality_weight, [host indices]).
    Returns (list of (host_index, normalized_weight), min_w, max_w)."""
    out = []
    mn, mx = 1.0, 0.0

    def norm(idxs, nlw):
        nonlocal mn, mx
        s = sum(hosts[i].get("weight", 1) for i in idxs)
        for i in idxs:
            w = hosts[i].get("weight", 1) * nlw / s
            out.append((i, w))
            mn = min(mn, w)
            mx = max(mx, w)

    if not localities:
        norm(list(range(len(hosts))), 1.0)
    else:
        total = sum(lw for lw, _ in localities)
        if total == 0:
            return [], mn, mx
        for lw, idxs in localities:
            if lw != 0:
                norm(idxs, float(lw) / total)
    return out, mn, mx


def envoy_host_key(host):
    return host.get("hash_key") or host["name"]


# ---------------------------------------------------------------------------
# Envoy ring_hash
# ---------------------------------------------------------------------------


def envoy_ring_build(hosts, localities=None, min_ring=1024, max_ring=8388608,
                     hash_function="XX_HASH"):
    """Returns (ring: sorted list of (hash, host_index), stats dict)."""
    nw, mn, _ = envoy_normalize(hosts, localities)
    if not nw:
        return [], {"size": 0}
    scale = min(math.ceil(mn * min_ring) / mn, float(max_ring))
    ring_size = math.ceil(scale)
    ring = []
    current = 0.0
    target = 0.0
    per_host = []
    for idx, w in nw:
        key = envoy_host_key(hosts[idx]).encode()
        target += scale * w
        i = 0
        while current < target:
            hk = key + b"_" + str(i).encode()
            if hash_function == "MURMUR_HASH_2":
                h = murmur2_64_libstdcxx(hk)
            else:
                h = xxh64(hk, 0)
            ring.append((h, idx))
            i += 1
            current += 1
        per_host.append(i)
    ring.sort(key=lambda t: t[0])  # std::sort: ties unspecified
    return ring, {"size": ring_size, "min_hashes_per_host": min(per_host),
                  "max_hashes_per_host": max(per_host)}


def envoy_ring_choose(ring, h, attempt=0):
    if not ring:
        return None
    mid = ketama_search([e[0] for e in ring], h)
    if attempt > 0:
        mid = (mid + attempt) % len(ring)
    return ring[mid][1]


# ---------------------------------------------------------------------------
# Envoy maglev
# ---------------------------------------------------------------------------


def envoy_maglev_build(hosts, localities=None, table_size=65537):
    """Returns (table: list of host_index, stats dict)."""
    nw, _, mx = envoy_normalize(hosts, localities)
    if not nw:
        return [], {}
    entries = []
    for idx, w in nw:
        key = envoy_host_key(hosts[idx]).encode()
        entries.append({"key": key, "idx": idx, "w": w})
    entries.sort(key=lambda e: e["key"])  # std::sort of (string_view, ptr, w)
    for e in entries:
        e["offset"] = xxh64(e["key"], 0) % table_size
        e["skip"] = xxh64(e["key"], 1) % (table_size - 1) + 1
        e["target"] = 0.0
        e["next"] = 0
        e["count"] = 0
    table = [None] * table_size
    filled = 0
    iteration = 1
    while filled < table_size:
        for e in entries:
            if filled >= table_size:
                break
            if iteration * e["w"] < e["target"]:
                continue
            e["target"] += mx
            c = (e["offset"] + e["skip"] * e["next"]) % table_size
            while table[c] is not None:
                e["next"] += 1
                c = (e["offset"] + e["skip"] * e["next"]) % table_size
            table[c] = e["idx"]
            e["next"] += 1
            e["count"] += 1
            filled += 1
        iteration += 1
    counts = [e["count"] for e in entries]
    return table, {"min_entries_per_host": min(counts), "max_entries_per_host": max(counts)}


def envoy_maglev_choose(table, h, attempt=0):
    if not table:
        return None
    if attempt > 0:
        h ^= (M64 - attempt + 1) & M64
    return table[h % len(table)]


# ---------------------------------------------------------------------------
# Vector replay
# ---------------------------------------------------------------------------

HERE = os.path.dirname(os.path.abspath(__file__))
VEC = os.path.join(os.path.dirname(HERE), "vectors")


def _load(name):
    with open(os.path.join(VEC, name)) as f:
        data = json.load(f)
    return data if isinstance(data, list) else [data]


def _localities(cfg):
    loc = cfg.get("localities")
    if not loc:
        return None
    return [(l["weight"], l["hosts"]) for l in loc]


def verify_nginx(report):
    for cfg in _load("nginx.json"):
        servers = cfg["servers"]
        ring = nginx_build(servers)
        bad = 0
        for c in cfg["cases"]:
            got = nginx_lookup(ring, servers, c["key"])
            if got != c["expected"]:
                bad += 1
                if bad <= 5:
                    report.append("nginx[%s] key=%r expected=%s got=%s"
                                  % (cfg.get("name"), c["key"], c["expected"], got))
        for k in cfg.get("rr_fallback_keys", []):
            if nginx_lookup(ring, servers, k) is not None:
                bad += 1
                report.append("nginx[%s] key=%r: nginx fell back to round-robin, reference did not"
                              % (cfg.get("name"), k))
        yield cfg.get("name"), len(cfg["cases"]) + len(cfg.get("rr_fallback_keys", [])), bad


def verify_ketama(report):
    for cfg in _load("libketama.json"):
        flavour = cfg.get("flavour", "libketama")
        cont = ketama_build(cfg["servers"], flavour)
        bad = 0
        if "points" in cfg and len(cont) != cfg["points"]:
            bad += 1
            report.append("ketama[%s] points %d != %d" % (cfg.get("name"), len(cont), cfg["points"]))
        for c in cfg["cases"]:
            if "key_hash" in c and ketama_hashi(c["key"].encode()) != c["key_hash"]:
                bad += 1
                report.append("ketama[%s] hashi(%r)" % (cfg.get("name"), c["key"]))
            if "expected" not in c:
                continue
            p, name = ketama_lookup(cont, c["key"], flavour)
            if name != c["expected"] or ("point" in c and p != c["point"]):
                bad += 1
                if bad <= 5:
                    report.append("ketama[%s] key=%r expected=%s/%s got=%s/%s"
                                  % (cfg.get("name"), c["key"], c["expected"], c.get("point"), name, p))
        yield cfg.get("name"), len(cfg["cases"]), bad


def _envoy_cases(cfg, choose, report, label):
    names = [h["name"] for h in cfg["servers"]]
    bad = 0
    for c in cfg["cases"]:
        idx = choose(int(c["hash"]), int(c.get("attempt", 0)))
        got = None if idx is None else names[idx]
        if got != c["expected"]:
            bad += 1
            if bad <= 5:
                report.append("%s[%s] hash=%s attempt=%s expected=%s got=%s"
                              % (label, cfg.get("name"), c["hash"], c.get("attempt", 0), c["expected"], got))
    return bad


def _envoy_counts(cfg, choose, report, label):
    """'distribution' checks: hashes i*(2^64-1)//n for i in range(n) (as in
    the Envoy tests) and the exact per-host hit counts they assert."""
    bad = 0
    for d in cfg.get("distributions", []):
        n = d["n"]
        step = int(d.get("step", M64 // n))
        counts = {}
        for i in range(n):
            idx = choose((i * step) & M64, 0)
            name = cfg["servers"][idx]["name"]
            counts[name] = counts.get(name, 0) + 1
        for name, exp in d["counts"].items():
            if counts.get(name, 0) != exp:
                bad += 1
                report.append("%s[%s] distribution %s: expected %d got %d"
                              % (label, cfg.get("name"), name, exp, counts.get(name, 0)))
    return bad


def _ncases(cfg):
    """cases + hashes replayed by distribution checks."""
    return len(cfg["cases"]) + sum(d["n"] for d in cfg.get("distributions", []))


def verify_envoy_ring(report):
    for cfg in _load("envoy-ring.json"):
        p = cfg.get("params", {})
        ring, stats = envoy_ring_build(cfg["servers"], _localities(cfg),
                                       p.get("minimum_ring_size", 1024),
                                       p.get("maximum_ring_size", 8388608),
                                       p.get("hash_function", "XX_HASH"))
        bad = 0
        for k, v in cfg.get("stats", {}).items():
            if stats.get(k) != v:
                bad += 1
                report.append("envoy-ring[%s] stat %s expected %s got %s" % (cfg.get("name"), k, v, stats.get(k)))
        if "ring" in cfg:
            got = [[h, cfg["servers"][i]["name"]] for h, i in ring]
            if got != [[int(h), n] for h, n in cfg["ring"]]:
                bad += 1
                report.append("envoy-ring[%s] ring positions differ" % cfg.get("name"))
        choose = lambda h, a: envoy_ring_choose(ring, h, a)
        bad += _envoy_cases(cfg, choose, report, "envoy-ring")
        bad += _envoy_counts(cfg, choose, report, "envoy-ring")
        yield cfg.get("name"), _ncases(cfg), bad


def verify_envoy_maglev(report):
    for cfg in _load("envoy-maglev.json"):
        p = cfg.get("params", {})
        table, stats = envoy_maglev_build(cfg["servers"], _localities(cfg), p.get("table_size", 65537))
        bad = 0
        for k, v in cfg.get("stats", {}).items():
            if stats.get(k) != v:
                bad += 1
                report.append("envoy-maglev[%s] stat %s expected %s got %s" % (cfg.get("name"), k, v, stats.get(k)))
        if "table" in cfg:
            got = [cfg["servers"][i]["name"] for i in table]
            if got != cfg["table"]:
                bad += 1
                report.append("envoy-maglev[%s] table differs: %s" % (cfg.get("name"), got))
        choose = lambda h, a: envoy_maglev_choose(table, h, a)
        bad += _envoy_cases(cfg, choose, report, "envoy-maglev")
        bad += _envoy_counts(cfg, choose, report, "envoy-maglev")
        yield cfg.get("name"), _ncases(cfg), bad


def verify_kats(report):
    path = os.path.join(VEC, "hash-kats.json")
    if not os.path.exists(path):
        return True
    ok = True
    for c in _load("hash-kats.json")[0]["cases"]:
        b = c["key"].encode()
        got = (crc32(b), ketama_hashi(b), xxh64(b, 0), xxh64(b, 1))
        exp = (c["crc32"], c["ketama_hashi"], c["xxh64_seed0"], c["xxh64_seed1"])
        if got != exp:
            ok = False
            report.append("hash KAT mismatch for %r: %r != %r" % (c["key"], got, exp))
    return ok


def self_checks(report, quick=False):
    ok = verify_kats(report)
    # XXH64 / CRC32 / MD5 known answers
    kat = [
        (xxh64(b"", 0), 0xEF46DB3751D8E999),
        (xxh64(b"127.0.0.1:90_0", 0), 16117243373044804889),  # Envoy Basic test ring entry
        (crc32(b"123456789"), 0xCBF43926),
        (ketama_hashi(b"test"), 3446378249),  # python_ketama/tests.py test_hashi
    ]
    for got, exp in kat:
        if got != exp:
            ok = False
            report.append("KAT failed: got %d expected %d" % (got, exp))
    # python_ketama/tests.py (upstream assertions)
    cont = ketama_build([{"name": "127.0.0.1:11211", "weight": 600},
                         {"name": "127.0.0.1:11212", "weight": 400}])
    if len(cont) != 320 or ketama_lookup(cont, "test") != (3454255383, "127.0.0.1:11211"):
        ok = False
        report.append("python_ketama tests.py assertions failed")
    try:
        import random
        import xxhash  # optional cross-check
        rnd = random.Random(1)
        for n in list(range(0, 70)) + [100, 1000]:
            b = bytes(rnd.randrange(256) for _ in range(n))
            for seed in (0, 1, 12345, M64):
                if xxh64(b, seed) != xxhash.xxh64_intdigest(b, seed):
                    ok = False
                    report.append("xxh64 mismatch len=%d seed=%d" % (n, seed))
    except ImportError:
        pass
    # ketama_search == first_ge with wrap, incl. duplicates and extremes
    import random
    rnd = random.Random(7)
    for _ in range(3000):
        pts = sorted(rnd.choice([0, 1, 2, 5, 5, 9, M64, rnd.randrange(1 << 64)])
                     for _ in range(rnd.randrange(1, 12)))
        for h in [0, 1, 2, 4, 5, 6, 9, 10, M64, rnd.randrange(1 << 64)] + pts:
            a = ketama_search(pts, h)
            b = first_ge(pts, h)
            b = 0 if b == len(pts) else b
            if pts[a] != pts[b] or a != b:
                ok = False
                report.append("ketama_search differs from first_ge: %r h=%d (%d vs %d)" % (pts, h, a, b))
                break
    if not quick:
        servers = _load("libketama.json")[0]["servers"]
        md = libketama_test_md5(servers)
        if md != "5672b131391f5aa2b280936aec1eea74":
            ok = False
            report.append("libketama test.sh md5 mismatch: %s" % md)
        else:
            print("  libketama test.sh md5 over 1,000,000 keys: %s  (matches upstream)" % md)
    return ok


def main():
    quick = "--quick" in sys.argv
    report = []
    total_bad = 0
    print("self checks ...")
    if not self_checks(report, quick):
        total_bad += 1
    for label, fn in [("nginx", verify_nginx), ("libketama", verify_ketama),
                      ("envoy-ring", verify_envoy_ring), ("envoy-maglev", verify_envoy_maglev)]:
        path = os.path.join(VEC, label + ".json")
        if not os.path.exists(path):
            print("%-13s (no vectors file)" % label)
            continue
        for name, n, bad in fn(report):
            total_bad += bad
            print("%-13s %-48s checks=%-6d %s" % (label, name, n, "OK" if bad == 0 else "MISMATCH x%d" % bad))
    for line in report:
        print("  ! " + line)
    print("RESULT:", "ALL OK" if total_bad == 0 and not report else "FAILURES")
    return 0 if total_bad == 0 and not report else 1


if __name__ == "__main__":
    sys.exit(main())
