//! A token-bucket rate limiter.

use std::time::{Duration, Instant};

/// Allows bursts of up to `capacity` units, refilled at `refill_per_sec`.
///
/// The `*_at` methods take the time explicitly so callers (and tests) can
/// drive the bucket with their own clock; the others use [`Instant::now`].
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    refill_per_sec: f64,
    available: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    ///
    /// # Panics
    /// If `capacity` or `refill_per_sec` is not a positive finite number.
    pub fn new(capacity: f64, refill_per_sec: f64) -> Self {
        Self::new_at(capacity, refill_per_sec, Instant::now())
    }

    /// A full bucket whose clock starts at `now`.
    pub fn new_at(capacity: f64, refill_per_sec: f64, now: Instant) -> Self {
        assert!(
            capacity.is_finite() && capacity > 0.0,
            "capacity must be positive"
        );
        assert!(
            refill_per_sec.is_finite() && refill_per_sec > 0.0,
            "refill rate must be positive"
        );
        TokenBucket {
            capacity,
            refill_per_sec,
            available: capacity,
            last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.available = (self.available + elapsed * self.refill_per_sec).min(self.capacity);
        self.last = self.last.max(now);
    }

    /// Units available at `now`.
    pub fn available_at(&mut self, now: Instant) -> f64 {
        self.refill(now);
        self.available
    }

    /// Takes `units` if they are available at `now`; otherwise takes nothing
    /// and returns how long to wait until they are.
    pub fn try_acquire_at(&mut self, units: f64, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        if units <= self.available {
            self.available -= units;
            return Ok(());
        }
        if units > self.capacity {
            // Never satisfiable: say so with the longest meaningful wait.
            return Err(Duration::from_secs_f64(self.capacity / self.refill_per_sec));
        }
        let missing = units - self.available;
        Err(Duration::from_secs_f64(missing / self.refill_per_sec))
    }

    /// [`TokenBucket::try_acquire_at`] now.
    pub fn try_acquire(&mut self, units: f64) -> Result<(), Duration> {
        self.try_acquire_at(units, Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_up_to_capacity_then_waits_for_refill() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new_at(3.0, 1.0, start);
        for _ in 0..3 {
            bucket.try_acquire_at(1.0, start).unwrap();
        }
        let wait = bucket.try_acquire_at(1.0, start).unwrap_err();
        assert_eq!(wait, Duration::from_secs(1));
        let later = start + Duration::from_millis(1500);
        bucket.try_acquire_at(1.0, later).unwrap();
        assert!((bucket.available_at(later) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn refill_never_exceeds_capacity() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new_at(2.0, 10.0, start);
        assert_eq!(bucket.available_at(start + Duration::from_secs(60)), 2.0);
    }

    #[test]
    fn a_failed_acquire_takes_nothing() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new_at(2.0, 1.0, start);
        assert!(bucket.try_acquire_at(5.0, start).is_err());
        assert_eq!(bucket.available_at(start), 2.0);
    }

    #[test]
    #[should_panic(expected = "capacity must be positive")]
    fn rejects_zero_capacity() {
        TokenBucket::new(0.0, 1.0);
    }
}
