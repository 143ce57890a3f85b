//! A small pseudo-random generator (xorshift64) for test inputs: `Rng::new()` is seeded
//! differently on every run, so a learner's code cannot pass by printing what it was shown
//! last time; `Rng::seeded(n)` replays the same sequence, for a test that must try the same
//! cases every run. Not for anything secret.

use std::hash::{BuildHasher, RandomState};

pub struct Rng(u64);

impl Rng {
    /// Seeded from the clock and the process's random hasher state.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Rng(RandomState::new().hash_one(nanos) | 1)
    }

    /// The same sequence on every run for the same seed (a zero seed is made odd).
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    pub fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len() as u64) as usize]
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i as u64 + 1) as usize);
        }
    }

    /// Six lowercase letters.
    pub fn word(&mut self) -> String {
        (0..6)
            .map(|_| char::from(b'a' + self.below(26) as u8))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_replays_its_sequence_and_stays_below_the_bound() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::seeded(42);
                move |_| r.below(10)
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::seeded(42);
                move |_| r.below(10)
            })
            .collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|n| *n < 10));
    }

    #[test]
    fn a_shuffle_keeps_every_item() {
        let mut items: Vec<u32> = (0..20).collect();
        Rng::new().shuffle(&mut items);
        items.sort();
        assert_eq!(items, (0..20).collect::<Vec<_>>());
    }
}
