#!/usr/bin/env python3
"""Emit ../vectors/hash-kats.json: known-answer values of the primitive hashes
the presets use, computed by established implementations (not by
reference.py): zlib.crc32 (nginx's CRC-32), hashlib.md5 (libketama) and the
`xxhash` PyPI package (binding of the C xxHash library, XXH64) -- Envoy's
HashUtil::xxHash64(key, seed).  Needs `pip install xxhash`; installs nothing.

cases[]: {"key": str, "crc32": u32, "ketama_hashi": u32 (md5[0..4] LE),
          "xxh64_seed0": u64, "xxh64_seed1": u64}
"""
import hashlib
import os
import zlib

import xxhash

import vecjson  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "vectors", "hash-kats.json")

KEYS = ["", "a", "abc", "key-0", "key-1", "test", "127.0.0.1:90", "127.0.0.1:90_0",
        "10.0.1.1:11211-0", "ключ", "キー", "x" * 31, "x" * 32, "x" * 33, "y" * 100,
        "0123456789abcdef0123456789abcdef0123456789"]


def main():
    cases = []
    for k in KEYS:
        b = k.encode()
        cases.append({
            "key": k,
            "crc32": zlib.crc32(b) & 0xFFFFFFFF,
            "ketama_hashi": int.from_bytes(hashlib.md5(b).digest()[:4], "little"),
            "xxh64_seed0": xxhash.xxh64_intdigest(b, 0),
            "xxh64_seed1": xxhash.xxh64_intdigest(b, 1),
        })
    vecjson.dump(OUT, [{
        "preset": "primitives",
        "name": "hash-kats",
        "source": "zlib.crc32, hashlib.md5, xxhash %s (C xxHash) on this machine "
                  "(capture/capture_kats.py); keys are UTF-8 encoded" % xxhash.VERSION,
        "cases": cases,
    }])
    print("wrote %s (%d keys)" % (OUT, len(cases)))


if __name__ == "__main__":
    main()
