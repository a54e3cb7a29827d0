//! The nginx preset agrees with `pingora-ketama`, Cloudflare's independent port of nginx's
//! `hash $key consistent` (used by Pingora), on the same servers and keys.

#![cfg(not(target_arch = "wasm32"))]

use std::net::SocketAddr;

use hashhalo_core::Server;
use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};

#[test]
fn nginx_preset_matches_pingora_ketama() {
    let configs: [&[(&str, u32)]; 3] = [
        &[
            ("127.0.0.1:8081", 1),
            ("127.0.0.1:8082", 1),
            ("127.0.0.1:8083", 1),
        ],
        &[
            ("10.0.0.1:80", 3),
            ("10.0.0.2:80", 1),
            ("10.0.0.3:8080", 2),
            ("10.0.0.4:80", 5),
        ],
        &[("192.168.1.10:11211", 1)],
    ];
    for config in configs {
        let servers: Vec<Server> = config
            .iter()
            .enumerate()
            .map(|(i, (name, w))| Server::new(i as u32, *name).with_weight(*w))
            .collect();
        let ours = Router::build(
            &servers,
            &RouterConfig {
                algorithm: Algorithm::Nginx,
                ..RouterConfig::default()
            },
        )
        .unwrap();
        let buckets: Vec<pingora_ketama::Bucket> = config
            .iter()
            .map(|(name, w)| pingora_ketama::Bucket::new(name.parse::<SocketAddr>().unwrap(), *w))
            .collect();
        let theirs = pingora_ketama::Continuum::new(&buckets);
        for i in 0..5000 {
            let key = format!("/api/v1/items/{i}?session={}", i * 7919);
            let want: SocketAddr = theirs.node(key.as_bytes()).unwrap();
            let got = ours.route(key.as_bytes()).unwrap();
            let got = &servers.iter().find(|s| s.id == got).unwrap().label;
            assert_eq!(got, &want.to_string(), "key {key:?} with {config:?}");
        }
    }
}
