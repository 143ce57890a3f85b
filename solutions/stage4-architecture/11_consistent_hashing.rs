//! # Exercise 11: consistent hashing — a hash ring with virtual nodes
//!
//! A cache or a database too big for one server is split into *shards*, and every client
//! must find, for a key, the shard that holds it, without asking anyone. The obvious rule,
//! `hash(key) % n`, breaks the day `n` changes: going from 4 servers to 5 changes the answer
//! for about 4 keys in 5 (a key stays only if `h % 4 == h % 5`), so a cache loses most of its
//! hits at once and a database must move most of its data. **Consistent hashing** (Karger et
//! al., 1997; Amazon's Dynamo, Cassandra, memcached clients, Envoy's ring hash) moves only what
//! it must: adding a fifth node moves about 1/5 of the keys, all of them *to* the new node.
//!
//! **The ring.** Hash every node to a point on a circle (here the `u64`s, wrapping from
//! `u64::MAX` to 0). A key belongs to the first node point at or after `hash(key)`, going
//! clockwise; past the last point, it wraps to the first one. A `BTreeMap<u64, String>` is the
//! ring: `ring.range(h..).next()` is the first point at or after `h`, and when there is none,
//! `ring.iter().next()` (the smallest point) is the answer. A new node takes over only the arcs
//! just before its points: the keys that move all move to it, and none moves between old
//! nodes. A node removed gives its arcs to the next points: only its keys move.
//!
//! **Virtual nodes.** With one point per node, the arcs are very uneven: a node's share of the
//! circle is the gap before its point, and with `N` points at random the gaps vary as much as
//! their mean (an exponential law: standard deviation ≈ mean = 1/N). So each node is placed at
//! `V` points, its *virtual nodes*: node `n`'s vnode `i` sits at `stable_hash("{n}#{i}")`, for
//! `i` in `0..V` (each with its own label: `V` copies of one label are one point). A node's
//! share is then a sum of `V` gaps, whose standard deviation is about `√V` gaps, that is
//! `σ ≈ √V / (N·V) = 1 / (N·√V)`, against a mean of `1/N`: relative spread `1/√V`. With
//! `N = 5` and `V = 200`: mean 0.2, σ ≈ 0.014. Counting 10,000 keys adds sampling noise,
//! `√(0.2 × 0.8 / 10,000) = 0.004`, so a share measured on 10,000 keys has
//! `σ ≈ √(0.014² + 0.004²) ≈ 0.015`. The tests accept 0.2 ± 0.07, about five σ: a correct ring
//! never fails it (it is also deterministic: fixed hash, fixed keys), while `% n` (0.8 moved)
//! and 1-point nodes (σ ≈ 0.2, shares from almost 0 to above 0.5) are far outside.
//!
//! **A stable hash.** Every client, in every process, on every machine, must compute the
//! same ring. `std::collections::HashMap`'s `RandomState` is seeded at random *on purpose* (it
//! defends a map against keys chosen to collide), so two rings hashed with it disagree. The
//! ring needs a hash fixed forever: [`stable_hash`] below is FNV-1a (a byte-at-a-time hash
//! anyone can reimplement) followed by a *finalizer* that mixes the bits, because FNV-1a alone
//! puts labels that differ in their last byte (`a#1`, `a#2`) close together on the circle.
//!
//! - <https://doc.rust-lang.org/std/collections/struct.BTreeMap.html#method.range>
//! - <http://www.isthe.com/chongo/tech/comp/fnv/> (FNV-1a)
//! - <https://www.cs.princeton.edu/courses/archive/fall09/cos518/papers/chash.pdf> (Karger et al.)
//! - <https://www.allthingsdistributed.com/files/amazon-dynamo-sosp2007.pdf> (Dynamo, section 4.2)

use std::collections::BTreeMap;

/// A 64-bit hash that never changes: FNV-1a over the bytes, then the finalizer of MurmurHash3
/// (`fmix64`) to spread close inputs over the whole circle.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// A consistent-hash ring: each node at `vnodes` points, each key owned by the first point at
/// or after its hash, wrapping around.
#[derive(Debug, Clone)]
pub struct HashRing {
    /// How many points each node gets.
    vnodes: usize,
    /// The points, each with the node it belongs to.
    ring: BTreeMap<u64, String>,
}

impl HashRing {
    /// An empty ring whose nodes will each get `vnodes` points.
    pub fn new(vnodes: usize) -> Self {
        HashRing {
            vnodes,
            ring: BTreeMap::new(),
        }
    }

    /// Places `node` on the ring: vnode `i` (for `i` in `0..vnodes`) at
    /// `stable_hash("{node}#{i}")`.
    pub fn add_node(&mut self, node: &str) {
        for i in 0..self.vnodes {
            let point = stable_hash(format!("{node}#{i}").as_bytes());
            self.ring.insert(point, node.to_string());
        }
    }

    /// Takes every point of `node` off the ring; its keys go to the points after them.
    pub fn remove_node(&mut self, node: &str) {
        self.ring.retain(|_, owner| owner != node);
    }

    /// The node that owns `key`: the first point at or after `stable_hash(key)`, or the first
    /// point of the ring when the key hashes past the last one; `None` when the ring is empty.
    pub fn node_for(&self, key: &str) -> Option<&str> {
        let hash = stable_hash(key.as_bytes());
        self.ring
            .range(hash..)
            .next()
            .or_else(|| self.ring.iter().next())
            .map(|(_, node)| node.as_str())
    }
}
