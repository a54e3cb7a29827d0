#!/usr/bin/env python3
"""Emit ../vectors/envoy-ring.json and ../vectors/envoy-maglev.json.

Envoy cannot be built or run on this machine, so the "real implementation"
evidence for the two Envoy presets is Envoy's own unit tests.  Every number
below is transcribed verbatim from

  envoyproxy/envoy test/extensions/load_balancing_policies/ring_hash/ring_hash_lb_test.cc
  envoyproxy/envoy test/extensions/load_balancing_policies/maglev/maglev_lb_test.cc

(main branch as stored in the search index; test names are given per config).
Nothing here is computed by our own reference implementation: the only
arithmetic is expanding the tests' own loops (e.g. `hash = i` for i in
0..3*table_size, expected = expected_assignments[i % table_size]).

Conventions of the emitted JSON (see ../SPEC.md, "Vector format"):
  servers[].name     the string Envoy hashes for the host: the address string
                     ("127.0.0.1:90", i.e. Address::asString(), no "tcp://")
                     or, in the *_hostname configs, the hostname ("90").
  servers[].weight   endpoint load_balancing_weight (default 1).
  localities         optional; [{weight, hosts:[indices into servers]}] in
                     Envoy's hosts_per_locality order (locality-weighted LB on).
  params             minimum_ring_size / maximum_ring_size / hash_function,
                     or table_size.
  cases[]            {hash: <u64 JSON integer>, attempt?: n, expected: name}
                     `hash` is the already-computed 64-bit request hash
                     (LoadBalancerContext::computeHashKey), not a key string.
                     attempt = retry attempt index passed to chooseHost.
  stats              gauges asserted by the test (ring size, min/max hashes or
                     entries per host).
  ring               full sorted ring [[hash, name], ...] where the test lists it.
  distributions      [{n, step, counts:{name: hits}}]: hashes i*step for
                     i in 0..n-1 (step defaults to floor((2^64-1)/n), as in the
                     tests) and the exact hit counts the test asserts.
"""

import json
import os

import vecjson  # noqa: E402  (sibling module: shared JSON layout)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "vectors")
U64MAX = 2**64 - 1
RING_SRC = "envoyproxy/envoy test/extensions/load_balancing_policies/ring_hash/ring_hash_lb_test.cc"
MAGLEV_SRC = "envoyproxy/envoy test/extensions/load_balancing_policies/maglev/maglev_lb_test.cc"


def addr(p):
    return "127.0.0.1:%d" % p


def hosts(ports, weights=None):
    weights = weights or [1] * len(ports)
    return [{"name": addr(p), "weight": w} for p, w in zip(ports, weights)]


def hostname_hosts(ports):
    return [{"name": str(p), "address": addr(p), "weight": 1} for p in ports]


def case(h, expected, attempt=0):
    c = {"hash": h, "expected": expected}
    if attempt:
        c["attempt"] = attempt
    return c


def ring_configs():
    cfgs = []
    H = [addr(p) for p in range(90, 96)]
    basic_ring = [
        (833437586790550860, H[4]), (928266305478181108, H[2]), (1033482794131418490, H[0]),
        (3551244743356806947, H[5]), (3851675632748031481, H[3]), (5583722120771150861, H[1]),
        (6311230543546372928, H[1]), (7700377290971790572, H[3]), (13144177310400110813, H[5]),
        (13444792449719432967, H[2]), (15516499411664133160, H[4]), (16117243373044804889, H[0]),
    ]
    cfgs.append({
        "name": "Basic+BasicWithRetryHostPredicate",
        "test": "TEST_P(RingHashLoadBalancerTest, Basic) / BasicWithRetryHostPredicate",
        "servers": hosts(range(90, 96)),
        "params": {"minimum_ring_size": 12},
        "stats": {"size": 12, "min_hashes_per_host": 2, "max_hashes_per_host": 2},
        "ring": [[h, n] for h, n in basic_ring],
        "cases": [
            case(0, H[4]), case(U64MAX, H[4]),
            case(3551244743356806947, H[5]), case(3551244743356806948, H[3]),
            case(16117243373044804880, H[0]),  # via random() when no context
            # retry host predicate: attempt i -> ring index (midp + i) % size
            case(0, H[2], attempt=1), case(0, H[0], attempt=2), case(0, H[2], attempt=13),
        ],
    })
    M = [addr(p) for p in range(80, 86)]
    murmur_ring = [
        (1358027074129602068, M[5]), (4361834613929391114, M[3]), (7224494972555149682, M[4]),
        (7701421856454313576, M[1]), (8649315368077433379, M[2]), (8739448859063030639, M[4]),
        (9887544217113020895, M[1]), (10150910876324007731, M[2]), (15168472011420622455, M[3]),
        (15427156902705414897, M[0]), (16375050414328759093, M[5]), (17613279263364193813, M[0]),
    ]
    cfgs.append({
        "name": "BasicWithMurmur2",
        "test": "TEST_P(RingHashLoadBalancerTest, BasicWithMurmur2)",
        "servers": hosts(range(80, 86)),
        "params": {"minimum_ring_size": 12, "hash_function": "MURMUR_HASH_2"},
        "stats": {"size": 12, "min_hashes_per_host": 2, "max_hashes_per_host": 2},
        "ring": [[h, n] for h, n in murmur_ring],
        "cases": [
            case(0, M[5]), case(U64MAX, M[5]), case(1358027074129602068, M[5]),
            case(1358027074129602069, M[3]), case(10150910876324007730, M[2]),
        ],
    })
    N = [str(p) for p in range(90, 96)]
    hn_ring = [
        (1975508444536362413, N[5]), (2376063919839173711, N[5]), (2386806903309390596, N[3]),
        (6749904478991551885, N[4]), (6803900775736438537, N[3]), (7225015537174310577, N[2]),
        (8787465352164086522, N[0]), (11282020843382717940, N[2]), (13723418369486627818, N[1]),
        (13776502110861797421, N[0]), (14338313586354474791, N[1]), (15364271037087512980, N[4]),
    ]
    cfgs.append({
        "name": "BasicWithHostname",
        "test": "TEST_P(RingHashLoadBalancerTest, BasicWithHostname) (also BasicWithMetadataHashKey,"
                " BasicWithDoundedLoad: same ring)",
        "note": "use_hostname_for_hashing=true: the hashed string is the hostname (servers[].name);"
                " the metadata filter_metadata.envoy.lb.hash_key, when set, takes precedence and is"
                " used the same way.",
        "servers": hostname_hosts(range(90, 96)),
        "params": {"minimum_ring_size": 12},
        "stats": {"size": 12, "min_hashes_per_host": 2, "max_hashes_per_host": 2},
        "ring": [[h, n] for h, n in hn_ring],
        "cases": [
            case(0, N[5]), case(U64MAX, N[5]),
            case(7225015537174310577, N[2]), case(6803900775736438537, N[3]),
        ],
    })
    cfgs.append({
        "name": "UnevenHosts(a)",
        "test": "TEST_P(RingHashLoadBalancerTest, UnevenHosts) first host set",
        "servers": hosts([80, 81]),
        "params": {"minimum_ring_size": 3},
        "stats": {"size": 4, "min_hashes_per_host": 2, "max_hashes_per_host": 2},
        "ring": [[5454692015285649509, addr(80)], [7859399908942313493, addr(81)],
                 [13838424394637650569, addr(80)], [16064866803292627174, addr(81)]],
        "cases": [case(0, addr(80))],
    })
    cfgs.append({
        "name": "UnevenHosts(b)",
        "test": "TEST_P(RingHashLoadBalancerTest, UnevenHosts) second host set",
        "servers": hosts([81, 82]),
        "params": {"minimum_ring_size": 3},
        "ring": [[7859399908942313493, addr(81)], [8241336090459785962, addr(82)],
                 [12882406409176325258, addr(82)], [16064866803292627174, addr(81)]],
        "cases": [case(0, addr(81))],
    })
    tiny = [(928266305478181108, 2), (4443673547860492590, 2), (5583722120771150861, 1),
            (6311230543546372928, 1), (13444792449719432967, 2), (16117243373044804889, 0)]
    srv = hosts([90, 91, 92], [1, 2, 3])
    cfgs.append({
        "name": "HostWeightedTinyRing",
        "test": "TEST_P(RingHashLoadBalancerTest, HostWeightedTinyRing)",
        "servers": srv,
        "params": {"minimum_ring_size": 6, "maximum_ring_size": 6},
        "stats": {"size": 6, "min_hashes_per_host": 1, "max_hashes_per_host": 3},
        "cases": [case(h, srv[i]["name"]) for h, i in tiny],
    })
    cfgs.append({
        "name": "HostWeightedLargeRing",
        "test": "TEST_P(RingHashLoadBalancerTest, HostWeightedLargeRing)",
        "servers": hosts([90, 91, 92], [1, 2, 3]),
        "params": {"minimum_ring_size": 6144},
        "stats": {"size": 6144, "min_hashes_per_host": 1024, "max_hashes_per_host": 3072},
        "distributions": [{"n": 6000, "step": U64MAX // 6000,
                           "counts": {addr(90): 987, addr(91): 1932, addr(92): 3081}}],
        "cases": [],
    })
    srv4 = hosts([90, 91, 92, 93])
    loc1230 = [{"weight": w, "hosts": [i]} for i, w in enumerate([1, 2, 3, 0])]
    cfgs.append({
        "name": "LocalityWeightedTinyRing",
        "test": "TEST_P(RingHashLoadBalancerTest, LocalityWeightedTinyRing)",
        "servers": srv4, "localities": loc1230,
        "params": {"minimum_ring_size": 6, "maximum_ring_size": 6},
        "stats": {"size": 6, "min_hashes_per_host": 1, "max_hashes_per_host": 3},
        "cases": [case(h, srv4[i]["name"]) for h, i in tiny],
    })
    cfgs.append({
        "name": "LocalityWeightedLargeRing",
        "test": "TEST_P(RingHashLoadBalancerTest, LocalityWeightedLargeRing)",
        "servers": srv4, "localities": loc1230,
        "params": {"minimum_ring_size": 6144},
        "stats": {"size": 6144, "min_hashes_per_host": 1024, "max_hashes_per_host": 3072},
        "distributions": [{"n": 6000, "step": U64MAX // 6000,
                           "counts": {addr(90): 987, addr(91): 1932, addr(92): 3081, addr(93): 0}}],
        "cases": [],
    })
    srvhl = hosts([90, 91, 92, 93], [1, 2, 1, 2])
    loc12 = [{"weight": 1, "hosts": [0, 1]}, {"weight": 2, "hosts": [2, 3]}]
    hl = [(928266305478181108, 2), (3851675632748031481, 3), (5583722120771150861, 1),
          (6311230543546372928, 1), (7700377290971790572, 3), (12559126875973811811, 3),
          (13444792449719432967, 2), (13784988426630141778, 3), (16117243373044804889, 0)]
    cfgs.append({
        "name": "HostAndLocalityWeightedTinyRing",
        "test": "TEST_P(RingHashLoadBalancerTest, HostAndLocalityWeightedTinyRing)",
        "servers": srvhl, "localities": loc12,
        "params": {"minimum_ring_size": 9, "maximum_ring_size": 9},
        "stats": {"size": 9, "min_hashes_per_host": 1, "max_hashes_per_host": 4},
        "cases": [case(h, srvhl[i]["name"]) for h, i in hl],
    })
    cfgs.append({
        "name": "HostAndLocalityWeightedLargeRing",
        "test": "TEST_P(RingHashLoadBalancerTest, HostAndLocalityWeightedLargeRing)",
        "servers": srvhl, "localities": loc12,
        "params": {"minimum_ring_size": 9216},
        "stats": {"size": 9216, "min_hashes_per_host": 1024, "max_hashes_per_host": 4096},
        "distributions": [{"n": 9000, "step": U64MAX // 9000,
                           "counts": {addr(90): 924, addr(91): 2009, addr(92): 2053, addr(93): 4014}}],
        "cases": [],
    })
    cfgs.append({
        "name": "SmallFractionalScale",
        "test": "TEST_P(RingHashLoadBalancerTest, SmallFractionalScale)",
        "note": "test only asserts that 2 of the 4 hosts get no traffic (not which)",
        "servers": hosts([90, 91, 92, 93]),
        "params": {"minimum_ring_size": 2, "maximum_ring_size": 2},
        "stats": {"size": 2, "min_hashes_per_host": 0, "max_hashes_per_host": 1},
        "cases": [],
    })
    cfgs.append({
        "name": "LargeFractionalScale",
        "test": "TEST_P(RingHashLoadBalancerTest, LargeFractionalScale)",
        "servers": hosts([90, 91]),
        "params": {"minimum_ring_size": 1023, "maximum_ring_size": 1023},
        "stats": {"size": 1023, "min_hashes_per_host": 511, "max_hashes_per_host": 512},
        "distributions": [{"n": 1023, "step": U64MAX // 1023,
                           "counts": {addr(90): 526, addr(91): 497}}],
        "cases": [],
    })
    lop = [{"name": addr(i), "weight": 1} for i in range(1024)]
    lcases = [(11664790346325243808, 1), (15894554872961148518, 128), (13958138884277627155, 256),
              (15803774069438192949, 384), (3829253010855396576, 512), (17918147347826565154, 640),
              (6442769608292299103, 768), (5881074926069334434, 896)]
    cfgs.append({
        "name": "LopsidedWeightSmallScale",
        "test": "TEST_P(RingHashLoadBalancerTest, LopsidedWeightSmallScale)",
        "servers": lop,
        "localities": [{"weight": 127, "hosts": [0]}, {"weight": 1, "hosts": list(range(1, 1024))}],
        "params": {"minimum_ring_size": 1024, "maximum_ring_size": 1024},
        "stats": {"size": 1024, "min_hashes_per_host": 0, "max_hashes_per_host": 1016},
        "cases": [case(h, addr(i)) for h, i in lcases],
    })
    for c in cfgs:
        c["preset"] = "envoy-ring"
        c["source"] = "transcribed from %s, %s" % (RING_SRC, c.pop("test"))
    return cfgs


def maglev_configs():
    cfgs = []

    def assign(names, order, reps=3):
        return [case(i, names[order[i % len(order)]]) for i in range(reps * len(order))]

    H = [addr(p) for p in range(90, 96)]
    cfgs.append({
        "name": "Basic+BasicStability+BasicWithRetryHostPredicate",
        "test": "TEST_F(MaglevLoadBalancerTest, Basic) / BasicStability / BasicWithRetryHostPredicate",
        "servers": hosts(range(90, 96)),
        "params": {"table_size": 7},
        "stats": {"min_entries_per_host": 1, "max_entries_per_host": 2},
        "table": [H[i] for i in [2, 4, 0, 1, 5, 0, 3]],
        "cases": assign(H, [2, 4, 0, 1, 5, 0, 3]) + [
            case(10, H[1]), case(10, H[0], attempt=1), case(10, H[5], attempt=2)],
    })
    N = [str(p) for p in range(90, 96)]
    cfgs.append({
        "name": "BasicWithHostName",
        "test": "TEST_F(MaglevLoadBalancerTest, BasicWithHostName) (also BasicWithMetadataHashKey,"
                " BasicWithBoundedLoad)",
        "note": "use_hostname_for_hashing=true: hashed string = hostname (servers[].name)",
        "servers": hostname_hosts(range(90, 96)),
        "params": {"table_size": 7},
        "stats": {"min_entries_per_host": 1, "max_entries_per_host": 2},
        "table": [N[i] for i in [2, 5, 0, 3, 4, 1, 0]],
        "cases": assign(N, [2, 5, 0, 3, 4, 1, 0]),
    })
    W = [addr(90), addr(91)]
    cfgs.append({
        "name": "Weighted",
        "test": "TEST_F(MaglevLoadBalancerTest, Weighted)",
        "servers": hosts([90, 91], [1, 2]),
        "params": {"table_size": 17},
        "stats": {"min_entries_per_host": 6, "max_entries_per_host": 11},
        "cases": assign(W, [1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1]),
    })
    cfgs.append({
        "name": "SingleHost",
        "test": "TEST_F(MaglevLoadBalancerTest, SingleHost) / WeightedSingleHost",
        "note": "newest Envoy uses a DegenerateMaglevTable for 1 host (stats report 1 entry);"
                " lookups are identical to a full table, so stats are not asserted here",
        "servers": hosts([90], [7]),
        "params": {"table_size": 17},
        "cases": [case(i, addr(90)) for i in range(17)],
    })
    cfgs.append({
        "name": "LocalityWeightedSameLocalityWeights",
        "test": "TEST_F(MaglevLoadBalancerTest, LocalityWeightedSameLocalityWeights) (also"
                " LocalityWeightedGlobalPanic: same table)",
        "servers": hosts([90, 91], [1, 2]),
        "localities": [{"weight": 1, "hosts": [0]}, {"weight": 1, "hosts": [1]}],
        "params": {"table_size": 17},
        "stats": {"min_entries_per_host": 8, "max_entries_per_host": 9},
        "cases": assign(W, [1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1]),
    })
    D = [addr(90), addr(91), addr(92)]
    cfgs.append({
        "name": "LocalityWeightedDifferentLocalityWeights",
        "test": "TEST_F(MaglevLoadBalancerTest, LocalityWeightedDifferentLocalityWeights)",
        "servers": hosts([90, 91, 92], [1, 2, 3]),
        # hosts_per_locality = {{:90}, {:92}, {:91}}, locality weights {8, 0, 2}
        "localities": [{"weight": 8, "hosts": [0]}, {"weight": 0, "hosts": [2]},
                       {"weight": 2, "hosts": [1]}],
        "params": {"table_size": 17},
        "stats": {"min_entries_per_host": 4, "max_entries_per_host": 13},
        "cases": assign(D, [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]),
    })
    lop = [{"name": addr(i), "weight": 1} for i in range(1024)]
    counts = {addr(0): 65537 - 1023}
    counts.update({addr(i): 1 for i in range(1, 1024)})
    cfgs.append({
        "name": "LocalityWeightedLopsided",
        "test": "TEST_F(MaglevLoadBalancerTest, LocalityWeightedLopsided)",
        "servers": lop,
        "localities": [{"weight": 127, "hosts": [0]}, {"weight": 1, "hosts": list(range(1, 1024))}],
        "params": {"table_size": 65537},
        "stats": {"min_entries_per_host": 1, "max_entries_per_host": 65537 - 1023},
        "distributions": [{"n": 65537, "step": 1, "counts": counts}],
        "cases": [],
    })
    for c in cfgs:
        c["preset"] = "envoy-maglev"
        c["source"] = "transcribed from %s, %s" % (MAGLEV_SRC, c.pop("test"))
    return cfgs


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, cfgs in [("envoy-ring.json", ring_configs()), ("envoy-maglev.json", maglev_configs())]:
        vecjson.dump(os.path.join(OUT, name), cfgs)
        print("wrote %s: %d configs, %d cases" % (name, len(cfgs), sum(len(c["cases"]) for c in cfgs)))


if __name__ == "__main__":
    main()
