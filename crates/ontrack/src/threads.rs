//! One knob for the number of threads ontrack computes with.
//!
//! Precedence, first that is set wins:
//! 1. the `threads` option of a call ([`crate::AssessOptions::threads`]);
//! 2. the process-wide setting [`set_threads`] (`ontrack.set_threads(n)` in Python);
//! 3. the `POLARS_MAX_THREADS` environment variable, as polars reads it;
//! 4. every core ([`std::thread::available_parallelism`]).
//!
//! Work runs on a rayon pool of exactly that many threads (pools are built once per size and
//! kept). Results never depend on the number of threads: every series is computed on its own
//! and results are collected in input order. Inside a Spark or Dask task, set one thread
//! (the distributed front end does), so that a worker with one core is not oversubscribed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{OntrackError, Result};

/// The process-wide setting of [`set_threads`]; 0 = unset.
static PROCESS_THREADS: Mutex<usize> = Mutex::new(0);

/// Pools by size, built on first use.
static POOLS: OnceLock<Mutex<HashMap<usize, Arc<ThreadPool>>>> = OnceLock::new();

/// Set (`Some(n)`, n ≥ 1) or clear (`None`) the process-wide number of threads.
///
/// ```
/// ontrack::set_threads(Some(1)).unwrap();
/// assert_eq!(ontrack::threads(None), 1);
/// assert_eq!(ontrack::threads(Some(2)), 2); // a call's own option wins
/// ontrack::set_threads(None).unwrap();
/// ```
///
/// # Errors
/// [`OntrackError::InvalidOption`] (option `threads`) for `Some(0)`.
pub fn set_threads(n: Option<usize>) -> Result<()> {
    let n = validate(n)?.unwrap_or(0);
    *PROCESS_THREADS
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = n;
    Ok(())
}

/// The number of threads a call with the `threads` option `requested` runs on, by the
/// precedence of this module.
#[must_use]
pub fn threads(requested: Option<usize>) -> usize {
    if let Some(n) = requested.filter(|&n| n > 0) {
        return n;
    }
    let process = *PROCESS_THREADS
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if process > 0 {
        return process;
    }
    if let Some(n) = std::env::var("POLARS_MAX_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return n;
    }
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Check a `threads` option: `None` or at least 1.
///
/// # Errors
/// [`OntrackError::InvalidOption`] (option `threads`) for 0.
pub(crate) fn validate(n: Option<usize>) -> Result<Option<usize>> {
    match n {
        Some(0) => Err(OntrackError::option(
            "threads",
            "must be at least 1 (or None for the default)",
        )),
        other => Ok(other),
    }
}

/// Run `work` on the pool for `requested` threads.
///
/// # Errors
/// [`OntrackError::InvalidOption`] for 0 threads or when the pool cannot be built;
/// otherwise whatever `work` returns.
pub(crate) fn install<R, F>(requested: Option<usize>, work: F) -> Result<R>
where
    F: FnOnce() -> Result<R> + Send,
    R: Send,
{
    let n = threads(validate(requested)?);
    let pool = pool(n)?;
    pool.install(work)
}

fn pool(n: usize) -> Result<Arc<ThreadPool>> {
    let pools = POOLS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut pools = pools.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pool) = pools.get(&n) {
        return Ok(Arc::clone(pool));
    }
    let pool = ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("ontrack-{i}"))
        .build()
        .map_err(|e| OntrackError::option("threads", format!("cannot start {n} threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.insert(n, Arc::clone(&pool));
    Ok(pool)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_validation() {
        assert!(validate(Some(0)).is_err());
        assert_eq!(threads(Some(3)), 3);
        let n = install(Some(2), || Ok(rayon::current_num_threads())).unwrap();
        assert_eq!(n, 2);
        let n = install(Some(1), || Ok(rayon::current_num_threads())).unwrap();
        assert_eq!(n, 1);
    }
}
