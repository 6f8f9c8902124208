//! A bounded response cache keyed by the whole request.

use std::collections::HashMap;

use crate::types::{CompletionRequest, CompletionResponse};

/// Hit and miss counts of a [`ResponseCache`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
}

/// Memoises responses; when full, evicts the least recently used entry.
///
/// Eviction scans the entries, which is cheap for the few hundred entries
/// a process keeps and needs no linked list.
#[derive(Debug, Clone)]
pub struct ResponseCache {
    capacity: usize,
    clock: u64,
    entries: HashMap<CompletionRequest, (CompletionResponse, u64)>,
    stats: CacheStats,
}

impl ResponseCache {
    /// A cache of at most `capacity` responses; `0` caches nothing.
    pub fn new(capacity: usize) -> Self {
        ResponseCache {
            capacity,
            clock: 0,
            entries: HashMap::new(),
            stats: CacheStats::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// The cached response for `request`, marking it recently used.
    pub fn get(&mut self, request: &CompletionRequest) -> Option<&CompletionResponse> {
        let now = self.tick();
        match self.entries.get_mut(request) {
            Some((response, used)) => {
                *used = now;
                self.stats.hits += 1;
                Some(response)
            }
            None => {
                self.stats.misses += 1;
                None
            }
        }
    }

    /// Stores a response, evicting the least recently used one when full.
    pub fn insert(&mut self, request: CompletionRequest, response: CompletionResponse) {
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity && !self.entries.contains_key(&request) {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(key, _)| key.clone());
            if let Some(key) = oldest {
                self.entries.remove(&key);
            }
        }
        let now = self.tick();
        self.entries.insert(request, (response, now));
    }

    /// The cached response, or the result of `compute`, which is then cached
    /// if it succeeded.
    pub fn get_or_try_insert_with<E>(
        &mut self,
        request: &CompletionRequest,
        compute: impl FnOnce() -> Result<CompletionResponse, E>,
    ) -> Result<CompletionResponse, E> {
        if let Some(hit) = self.get(request) {
            return Ok(hit.clone());
        }
        let response = compute()?;
        self.insert(request.clone(), response.clone());
        Ok(response)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, OfflineProvider, Provider};

    fn request(text: &str) -> CompletionRequest {
        CompletionRequest::new("offline-echo", vec![Message::user(text)])
    }

    fn answer(text: &str) -> CompletionResponse {
        OfflineProvider::new().complete(&request(text)).unwrap()
    }

    #[test]
    fn hits_and_misses_are_counted() {
        let mut cache = ResponseCache::new(4);
        assert!(cache.get(&request("a")).is_none());
        cache.insert(request("a"), answer("a"));
        assert_eq!(cache.get(&request("a")).unwrap().content, "a");
        assert_eq!(cache.stats(), CacheStats { hits: 1, misses: 1 });
    }

    #[test]
    fn evicts_the_least_recently_used_entry() {
        let mut cache = ResponseCache::new(2);
        cache.insert(request("a"), answer("a"));
        cache.insert(request("b"), answer("b"));
        cache.get(&request("a"));
        cache.insert(request("c"), answer("c"));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&request("b")).is_none());
        assert!(cache.get(&request("a")).is_some());
        assert!(cache.get(&request("c")).is_some());
    }

    #[test]
    fn zero_capacity_caches_nothing() {
        let mut cache = ResponseCache::new(0);
        cache.insert(request("a"), answer("a"));
        assert!(cache.is_empty());
    }

    #[test]
    fn compute_runs_once_and_errors_are_not_cached() {
        let mut cache = ResponseCache::new(2);
        let mut calls = 0;
        for _ in 0..3 {
            let response = cache
                .get_or_try_insert_with(&request("x"), || {
                    calls += 1;
                    Ok::<_, ()>(answer("x"))
                })
                .unwrap();
            assert_eq!(response.content, "x");
        }
        assert_eq!(calls, 1);
        let failed = cache.get_or_try_insert_with(&request("y"), || Err("down"));
        assert_eq!(failed, Err("down"));
        assert_eq!(cache.len(), 1);
    }
}
