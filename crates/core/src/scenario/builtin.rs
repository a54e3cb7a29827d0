//! The built-in scenarios: one for each system the lab grew from, and the core ideas. Each has
//! a stable id used in links (`#scenario=add-server`) and by `hashhalo scenario`.

use super::{
    EditSpec, ExpectSpec, KeysSpec, Scenario, ScenarioSpec, ServerSpec, StartSpec, StepSpec,
};

/// The ids of the built-in scenarios, in the order the app lists them.
///
/// ```
/// assert_eq!(hashhalo_core::scenario::BUILTIN_IDS[0], "add-server");
/// ```
pub const BUILTIN_IDS: [&str; 7] = [
    "add-server",
    "modulo-vs-ring",
    "node-failure",
    "sticky-clients",
    "vnodes",
    "weights",
    "bounded-loads",
];

/// The built-in scenario `id`, read from its compact form (`builtins.bin`, made from
/// [`builtin_spec`]): the browser app reads it this way, without the authoring form's
/// compiler, and so does everything else.
///
/// ```
/// use hashhalo_core::scenario::builtin;
///
/// assert_eq!(builtin("weights").unwrap().id, "weights");
/// assert!(builtin("nope").is_none());
/// ```
pub fn builtin(id: &str) -> Option<Scenario> {
    let bytes = builtin_bytes(id)?;
    // Not `expect`: that would format the error with `Debug`, which carries the escaping of
    // every string's `Debug` into the page's first load (about 2 KB of wasm) for a message
    // nobody sees; a test reads every built-in.
    match Scenario::from_bytes(bytes) {
        Ok(s) => Some(s),
        Err(_) => unreachable!("the built-in scenarios are valid (see builtins.bin)"),
    }
}

/// The compact link form of the built-in scenario `id` (`s1.…`).
///
/// ```
/// assert!(hashhalo_core::scenario::builtin_text("vnodes").unwrap().starts_with("s1."));
/// ```
pub fn builtin_text(id: &str) -> Option<String> {
    builtin_bytes(id).map(|b| format!("s1.{}", crate::base64url::encode(b)))
}

/// The bytes of the compact form of the built-in scenario `id`.
fn builtin_bytes(id: &str) -> Option<&'static [u8]> {
    let mut rest = BUILTINS;
    while let [len, tail @ ..] = rest {
        let (name, tail) = tail.split_at_checked(usize::from(*len))?;
        let (size, tail) = tail.split_at_checked(2)?;
        let (bytes, tail) =
            tail.split_at_checked(usize::from(u16::from_le_bytes([size[0], size[1]])))?;
        if name == id.as_bytes() {
            return Some(bytes);
        }
        rest = tail;
    }
    None
}

/// Each built-in's id and compact form: the id's length (a byte) and the id, then the form's
/// length (two bytes, little-endian) and its bytes. Bytes, not the base64 of links: the
/// page's first load carries this file, and gzip packs the bytes into a third less. Written
/// by the test `builtins_bin_is_made_from_the_specs` (`HASHHALO_BLESS=1` rewrites it).
const BUILTINS: &[u8] = include_bytes!("builtins.bin");

/// The file [`BUILTINS`] is, made from the authoring forms.
#[cfg(test)]
fn made_builtins() -> Vec<u8> {
    let mut out = Vec::new();
    for id in BUILTIN_IDS {
        let bytes = builtin_spec(id)
            .unwrap()
            .compile()
            .expect("a valid built-in")
            .to_bytes();
        out.push(u8::try_from(id.len()).expect("a short id"));
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(
            &u16::try_from(bytes.len())
                .expect("a small scenario")
                .to_le_bytes(),
        );
        out.extend_from_slice(&bytes);
    }
    out
}

/// The authoring form of the built-in scenario `id`, as its source says it (labels, angles):
/// what `hashhalo scenario show` prints and `builtins.bin` is made from.
///
/// ```
/// use hashhalo_core::scenario::{builtin, builtin_spec};
///
/// assert_eq!(builtin_spec("weights").unwrap().compile().unwrap(), builtin("weights").unwrap());
/// ```
pub fn builtin_spec(id: &str) -> Option<ScenarioSpec> {
    Some(match id {
        "add-server" => add_server(),
        "modulo-vs-ring" => modulo_vs_ring(),
        "node-failure" => node_failure(),
        "sticky-clients" => sticky_clients(),
        "vnodes" => vnodes(),
        "weights" => weights(),
        "bounded-loads" => bounded_loads(),
        _ => return None,
    })
}

fn step(caption: &str, edits: Vec<EditSpec>) -> StepSpec {
    StepSpec {
        caption: caption.into(),
        edits,
        ..StepSpec::default()
    }
}

impl StepSpec {
    fn watch(mut self, text: &str) -> StepSpec {
        self.watch = Some(text.into());
        self
    }

    fn probe(mut self, key: &str) -> StepSpec {
        self.probe = Some(key.into());
        self
    }

    fn expect(mut self, e: ExpectSpec) -> StepSpec {
        self.expect.push(e);
        self
    }
}

fn server(label: &str) -> String {
    label.to_string()
}

fn moved(min: f64, max: f64) -> ExpectSpec {
    ExpectSpec::Moved { min, max }
}

/// The HashHalo project's own example flow: three servers, 1,000 keys, add a fourth.
fn add_server() -> ScenarioSpec {
    ScenarioSpec {
        id: "add-server".into(),
        title: "Add a server: only its share of the keys move".into(),
        about: "Three servers share 1,000 keys on a ring. Adding a fourth moves about a quarter \
                of them, all to the new server; removing it moves exactly those back."
            .into(),
        start: StartSpec::with_servers(&["A", "B", "C"]),
        steps: vec![
            step(
                "Servers A, B and C share 1,000 keys. Each key belongs to the first server point \
                 clockwise from it.",
                vec![],
            )
            .watch("the colours: each arc of the ring is the server that owns the keys on it"),
            step(
                "Add a fourth server, D.",
                vec![EditSpec::AddServer { label: "D".into() }],
            )
            .watch("the keys that move all go to D: about a quarter, its fair share")
            .expect(moved(0.15, 0.35))
            .expect(ExpectSpec::AllMovedTo {
                server: server("D"),
            }),
            step(
                "Remove D again.",
                vec![EditSpec::RemoveServer {
                    server: server("D"),
                }],
            )
            .watch("exactly D's keys go back where they were, and no other key moves")
            .expect(moved(0.15, 0.35))
            .expect(ExpectSpec::AllMovedFrom {
                server: server("D"),
            }),
        ],
    }
}

/// The HashFlow load balancer: modulo against a ring on the same requests, and its own slot hash.
fn modulo_vs_ring() -> ScenarioSpec {
    ScenarioSpec {
        id: "modulo-vs-ring".into(),
        title: "Modulo against a ring, on the same 10,000 requests".into(),
        about: "A load balancer that sends request i to server hash(i) mod n moves almost every \
                request when n changes; a consistent-hash ring moves only the new server's share. \
                Then the HashFlow load balancer's own 512-slot hash shows what a weak hash does \
                to balance."
            .into(),
        start: StartSpec {
            servers: ["Server 1", "Server 2", "Server 3"]
                .iter()
                .map(|l| ServerSpec::named(l))
                .collect(),
            algorithm: Some("modulo".into()),
            keys: Some(KeysSpec {
                kind: Some("userids".into()),
                count: Some(10_000),
                seed: Some(2),
            }),
            ..StartSpec::default()
        },
        steps: vec![
            step(
                "Three servers behind a modulo load balancer: a request goes to server \
                 hash(request) mod 3.",
                vec![],
            ),
            step(
                "Add a fourth server: now it is hash mod 4.",
                vec![EditSpec::AddServer {
                    label: "Server 4".into(),
                }],
            )
            .watch("three quarters of the requests change server, not the quarter that must")
            .expect(moved(0.65, 0.85)),
            step(
                "Back to three servers, on a consistent-hash ring with 9 virtual nodes each, as \
                 the HashFlow load balancer places them.",
                vec![
                    EditSpec::RemoveServer {
                        server: server("Server 4"),
                    },
                    EditSpec::SetAlgorithm {
                        algorithm: "ring".into(),
                    },
                    EditSpec::SetVnodes { vnodes: 9 },
                ],
            ),
            step(
                "Add the fourth server again, on the ring.",
                vec![EditSpec::AddServer {
                    label: "Server 4".into(),
                }],
            )
            .watch("only the new server's share moves, all of it to the new server")
            .expect(moved(0.1, 0.45))
            .expect(ExpectSpec::AllMovedTo {
                server: server("Server 4"),
            }),
            step(
                "Now use the load balancer's own hash: 512 slots, request i in slot 3i + 17, \
                 server j's virtual node k in slot j + 3k + 25.",
                vec![EditSpec::SetHash { hash: "toy".into() }],
            )
            .watch(
                "with so few slots, laid out so regularly, one server gets far more than its share",
            )
            .expect(ExpectSpec::BusiestAtLeast { ratio: 1.3 }),
            step(
                "Back to xxh3, a good 64-bit hash, with the same 9 virtual nodes.",
                vec![EditSpec::SetHash {
                    hash: "xxh3".into(),
                }],
            )
            .watch("the balance comes back to what 9 virtual nodes give")
            .expect(ExpectSpec::BusiestAtMost { ratio: 1.6 }),
        ],
    }
}

/// The Docker router demo: nodes at fixed places, md5, no virtual nodes; a node fails.
fn node_failure() -> ScenarioSpec {
    let node = |label: &str, degrees: f64| ServerSpec {
        at_degrees: vec![degrees],
        ..ServerSpec::named(label)
    };
    ScenarioSpec {
        id: "node-failure".into(),
        title: "A node fails: with one copy its keys are lost, with two they fail over".into(),
        about: "Three nodes at fixed places on the ring, keys hashed with md5, no virtual nodes, \
                as in the Docker router demo. When a node stops, its keys' next node clockwise \
                answers for them, but with one copy it never had them: the demo's 500 errors. \
                With two copies the next node already has them."
            .into(),
        start: StartSpec {
            servers: vec![
                node("node1", 100.0),
                node("node2", 200.0),
                node("node3", 300.0),
            ],
            hash: Some("md5".into()),
            vnodes: Some(1),
            ..StartSpec::default()
        },
        steps: vec![
            step(
                "Three nodes sit at 100°, 200° and 300° on the ring. A key goes to the next node \
                 clockwise from its md5 hash; each key is kept on one node.",
                vec![],
            )
            .probe("Alice"),
            step(
                "node1 stops.",
                vec![EditSpec::FailServer {
                    server: server("node1"),
                }],
            )
            .watch(
                "node1's keys go to node2, which never had them: every request for them \
                        fails until node1 is back",
            )
            .probe("Alice")
            .expect(ExpectSpec::AllMovedFrom {
                server: server("node1"),
            })
            .expect(ExpectSpec::Unavailable {
                min: 100,
                max: 1000,
            }),
            step(
                "node1 comes back.",
                vec![EditSpec::RestoreServer {
                    server: server("node1"),
                }],
            )
            .expect(ExpectSpec::AllMovedTo {
                server: server("node1"),
            })
            .expect(ExpectSpec::Unavailable { min: 0, max: 0 }),
            step(
                "Keep two copies of every key: each also lives on the next node clockwise.",
                vec![EditSpec::SetReplicas { replicas: 2 }],
            )
            .watch("no key moves: the copies are extra")
            .probe("Alice")
            .expect(moved(0.0, 0.0)),
            step(
                "node1 stops again.",
                vec![EditSpec::FailServer {
                    server: server("node1"),
                }],
            )
            .watch(
                "its keys fail over to node2, which already has their second copy: \
                        nothing is lost",
            )
            .probe("Alice")
            .expect(ExpectSpec::AllMovedFrom {
                server: server("node1"),
            })
            .expect(ExpectSpec::Unavailable { min: 0, max: 0 }),
        ],
    }
}

/// Consistent hashing in load balancers: client IPs, md5 mod 2³², three virtual nodes each.
fn sticky_clients() -> ScenarioSpec {
    ScenarioSpec {
        id: "sticky-clients".into(),
        title: "Sticky clients: the same IP keeps its server".into(),
        about: "A load balancer hashes each client's IP address (md5, mod 2³²) onto a ring of \
                servers with three virtual nodes each, so a client keeps its server and its \
                session. Removing a server moves only its own clients."
            .into(),
        start: StartSpec {
            servers: ["ServerA", "ServerB", "ServerC"]
                .iter()
                .map(|l| ServerSpec::named(l))
                .collect(),
            hash: Some("md5".into()),
            vnodes: Some(3),
            keys: Some(KeysSpec {
                kind: Some("ips".into()),
                count: Some(1000),
                seed: Some(4),
            }),
            ..StartSpec::default()
        },
        steps: vec![
            step(
                "Three servers, three virtual nodes each. Every client's IP address is a key.",
                vec![],
            )
            .probe("192.168.1.10"),
            step(
                "The client 192.168.1.10 comes back: its IP hashes to the same place, so it \
                 lands on the same server, where its session is.",
                vec![],
            )
            .probe("192.168.1.10")
            .watch("nothing moves: the same key always gets the same server"),
            step(
                "ServerB is taken out.",
                vec![EditSpec::RemoveServer {
                    server: server("ServerB"),
                }],
            )
            .watch("only ServerB's clients move; every other session stays where it was")
            .probe("192.168.1.10")
            .expect(ExpectSpec::AllMovedFrom {
                server: server("ServerB"),
            }),
            step(
                "Three virtual nodes are few. With 100 each the two servers share the clients \
                 evenly.",
                vec![EditSpec::SetVnodes { vnodes: 100 }],
            )
            .watch("more virtual nodes even out the load, at the price of moving clients once")
            .expect(ExpectSpec::BusiestAtMost { ratio: 1.15 }),
        ],
    }
}

/// Servers A to E with `vnodes` virtual nodes each, and `count` uniform keys.
fn five_servers(vnodes: u32, count: u32, seed: u64) -> StartSpec {
    StartSpec {
        servers: ["A", "B", "C", "D", "E"]
            .iter()
            .map(|l| ServerSpec::named(l))
            .collect(),
        vnodes: Some(vnodes),
        keys: Some(KeysSpec {
            kind: Some("uniform".into()),
            count: Some(count),
            seed: Some(seed),
        }),
        ..StartSpec::default()
    }
}

/// Virtual nodes smooth the load: 1, 10, 100, 1,000 per server.
fn vnodes() -> ScenarioSpec {
    let set = |v: u32| vec![EditSpec::SetVnodes { vnodes: v }];
    ScenarioSpec {
        id: "vnodes".into(),
        title: "Virtual nodes smooth the load".into(),
        about: "With one point per server, some servers own a huge arc and others a sliver. Each \
                tenfold more virtual nodes shrinks the spread by about √10: it goes as 1/√v."
            .into(),
        start: five_servers(1, 10_000, 5),
        steps: vec![
            step("Five servers with one virtual node each.", vec![])
                .watch("the busiest server's share against its fair fifth"),
            step("Ten virtual nodes each.", set(10))
                .expect(ExpectSpec::BusiestAtMost { ratio: 1.7 }),
            step("A hundred each.", set(100)).expect(ExpectSpec::BusiestAtMost { ratio: 1.25 }),
            step("A thousand each.", set(1000))
                .watch("the busiest server is within a few per cent of its fair share")
                .expect(ExpectSpec::BusiestAtMost { ratio: 1.08 }),
        ],
    }
}

/// Weights: a server of weight 3 gets three times the virtual nodes, and so the keys.
fn weights() -> ScenarioSpec {
    ScenarioSpec {
        id: "weights".into(),
        title: "Weights: a bigger server takes a bigger share".into(),
        about: "A server of weight w gets w times the virtual nodes, and so about w times the \
                keys. Changing a weight moves keys only to or from that server."
            .into(),
        start: StartSpec::with_servers(&["A", "B", "C"]),
        steps: vec![
            step("Three servers of weight 1 share 1,000 keys.", vec![]),
            step(
                "Give B weight 3.",
                vec![EditSpec::WeighServer {
                    server: server("B"),
                    weight: 3,
                }],
            )
            .watch("B's fair share goes from a third to three fifths, and keys move only to B")
            .expect(ExpectSpec::AllMovedTo {
                server: server("B"),
            })
            .expect(ExpectSpec::Keys {
                server: server("B"),
                min: 520,
                max: 680,
            }),
            step(
                "Give C weight 2.",
                vec![EditSpec::WeighServer {
                    server: server("C"),
                    weight: 2,
                }],
            )
            .expect(ExpectSpec::AllMovedTo {
                server: server("C"),
            }),
        ],
    }
}

/// Consistent hashing with bounded loads: a cap on every server.
fn bounded_loads() -> ScenarioSpec {
    ScenarioSpec {
        id: "bounded-loads".into(),
        title: "Bounded loads: no server above c times its share".into(),
        about: "With few virtual nodes a ring leaves some servers overloaded. Bounded loads \
                assigns keys in turn, each to the first server clockwise with room under a cap \
                of c times the fair share, so no server goes over it."
            .into(),
        start: five_servers(4, 2000, 7),
        steps: vec![
            step(
                "Five servers with four virtual nodes each: the load is uneven.",
                vec![],
            )
            .expect(ExpectSpec::BusiestAtLeast { ratio: 1.3 }),
            step(
                "Switch to bounded loads with c = 1.25.",
                vec![EditSpec::SetAlgorithm {
                    algorithm: "bounded-loads".into(),
                }],
            )
            .watch(
                "the busiest servers hand their extra keys on clockwise; none holds more than \
                    1.25 × its share",
            )
            .expect(ExpectSpec::BusiestAtMost { ratio: 1.251 }),
            step(
                "Tighten the cap to c = 1.1.",
                vec![EditSpec::SetLoadFactor { factor: 1.1 }],
            )
            .watch("a tighter cap evens the load more, and moves more keys to do it")
            .expect(ExpectSpec::BusiestAtMost { ratio: 1.101 }),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_bin_is_made_from_the_specs() {
        let made = made_builtins();
        if std::env::var_os("HASHHALO_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/scenario/builtins.bin");
            std::fs::write(path, &made).unwrap();
            // The file is read at compile time: the next run checks what was written.
            return;
        }
        assert!(
            BUILTINS == made.as_slice(),
            "builtins.bin is out of date: HASHHALO_BLESS=1 cargo test -p hashhalo-core builtins_bin"
        );
    }

    #[test]
    fn every_builtin_is_in_the_file_and_nothing_else() {
        for id in BUILTIN_IDS {
            assert_eq!(builtin(id).map(|s| s.id), Some(id.to_string()));
        }
        assert!(builtin_bytes("").is_none() && builtin_bytes("add-serve").is_none());
    }
}
