//! Generated benchmark inputs, kept under `target/bench-inputs/` and reused
//! while their key (generator version and sizes) is unchanged.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::out::ui::{self, Tone};

/// Bump when a generator's output changes, so old inputs are rebuilt.
pub const GENERATOR_VERSION: &str = "2";

const KEY_FILE: &str = ".bench-key";

pub struct Inputs {
    pub dir: PathBuf,
    /// Whether this process generated anything (and so grew its heap).
    pub generated: std::cell::Cell<bool>,
}

impl Inputs {
    pub fn new(dir: PathBuf) -> Self {
        Inputs {
            dir,
            generated: std::cell::Cell::new(false),
        }
    }

    /// The folder `name`, built by `build` into a temporary folder unless a
    /// complete one with the same `key` exists; renamed into place only when
    /// complete, so an interrupted run leaves nothing half-made to reuse.
    pub fn ensure(
        &self,
        name: &str,
        key: &str,
        build: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<PathBuf> {
        let key = format!("{GENERATOR_VERSION}:{key}");
        let done = self.dir.join(name);
        if std::fs::read_to_string(done.join(KEY_FILE)).ok().as_deref() == Some(key.as_str()) {
            return Ok(done);
        }
        self.generated.set(true);
        let tmp = self.dir.join(format!("{name}.tmp"));
        for stale in [&done, &tmp] {
            if stale.exists() {
                std::fs::remove_dir_all(stale).with_context(|| {
                    format!("cannot remove {}: delete it by hand", stale.display())
                })?;
            }
        }
        std::fs::create_dir_all(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        let started = std::time::Instant::now();
        build(&tmp).with_context(|| format!("generating the bench input {name}"))?;
        std::fs::write(tmp.join(KEY_FILE), &key)?;
        std::fs::rename(&tmp, &done)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), done.display()))?;
        ui::status(
            Tone::Good,
            "Generated",
            &format!("{} in {}", done.display(), ui::duration(started.elapsed())),
        );
        Ok(done)
    }
}

/// Writes `files` (relative path, content) under `dir`, creating folders.
pub fn write_tree(dir: &Path, files: &[(String, String)]) -> Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// SplitMix64: a fixed seed gives the same inputs on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next()).collect()
        };
        let mut r = Rng::new(7);
        assert_eq!(a, (0..5).map(|_| r.next()).collect::<Vec<_>>());
        assert_ne!(a[0], Rng::new(8).next());
    }

    #[test]
    fn inputs_are_reused_while_the_key_holds() {
        let dir = std::env::temp_dir().join(format!("xtask-inputs-{}", std::process::id()));
        let inputs = Inputs::new(dir.clone());
        let mut builds = 0;
        for key in ["a", "a", "b"] {
            inputs
                .ensure("x", key, |d| {
                    builds += 1;
                    write_tree(d, &[("f/g.txt".into(), key.into())])
                })
                .unwrap();
        }
        assert_eq!(builds, 2);
        assert_eq!(std::fs::read_to_string(dir.join("x/f/g.txt")).unwrap(), "b");
        assert!(!dir.join("x.tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
