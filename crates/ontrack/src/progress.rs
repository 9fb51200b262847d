//! Progress reports and interruption of long calls.
//!
//! [`crate::assess`], [`crate::compare_methods`], [`crate::sensitivity`] and
//! [`crate::project`] compute one job per target × series (or series × projection method).
//! Without an observer they run all jobs at once. With a [`Progress`] observer in the options
//! ([`crate::AssessOptions::progress`]) they run the jobs in chunks, in parallel within a
//! chunk, and between chunks tell the observer how many jobs are done out of how many; the
//! observer may ask to stop, and the call then returns [`OntrackError::Interrupted`] once the
//! running chunk is finished (nothing keeps running).
//!
//! Chunks change neither the jobs, nor their order, nor what each job computes: results are
//! the same, bit for bit, with and without an observer and for any chunk size.
//!
//! ```
//! use std::ops::ControlFlow;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//! use ontrack::{assess, AssessOptions, OntrackError, Progress};
//! use ontrack::polars::prelude::*;
//!
//! let obs = df!(
//!     "indicator" => ["a", "a", "b", "b"],
//!     "year" => [2015i64, 2020, 2015, 2020],
//!     "value" => [50.0, 60.0, 5.0, 4.0],
//! ).unwrap();
//! let targets = df!(
//!     "indicator" => ["a", "b"],
//!     "direction" => ["increase", "decrease"],
//!     "target_value" => [80.0, 2.0],
//!     "target_year" => [2030i64, 2030],
//! ).unwrap();
//! let seen = Arc::new(AtomicUsize::new(0));
//! let counter = Arc::clone(&seen);
//! let observer = Progress::new(move |done, total| {
//!     counter.store(done, Ordering::Relaxed);
//!     assert!(done <= total);
//!     ControlFlow::Continue(())
//! })
//! .with_chunk_size(1);
//! let opts = AssessOptions { progress: Some(observer), ..AssessOptions::default() };
//! let with = assess(&obs, &targets, &opts).unwrap();
//! assert_eq!(seen.load(Ordering::Relaxed), 2); // two jobs, both reported done
//! assert!(with.equals_missing(&assess(&obs, &targets, &AssessOptions::default()).unwrap()));
//!
//! // An observer that asks to stop.
//! let stop = Progress::new(|_, _| ControlFlow::Break(()));
//! let opts = AssessOptions { progress: Some(stop), ..AssessOptions::default() };
//! assert!(matches!(
//!     assess(&obs, &targets, &opts),
//!     Err(OntrackError::Interrupted { .. })
//! ));
//! ```

use std::fmt;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{OntrackError, Result};

/// The observer's callback: `(jobs done, jobs in all)`; `Break` asks to stop.
type Observer = dyn Fn(usize, usize) -> ControlFlow<()> + Send + Sync;

/// How many jobs a chunk holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkSize {
    /// Sized from the time the previous chunk took, aiming at [`CHUNK_TIME`] per chunk.
    Adaptive,
    /// Always this many jobs (at least 1).
    Fixed(usize),
}

/// Time a chunk aims at: short enough that a stop request is honoured well within a second
/// and a progress bar moves smoothly, long enough that the pause between chunks costs
/// nothing measurable.
const CHUNK_TIME: Duration = Duration::from_millis(100);
/// Jobs in the first adaptive chunk (about 0.1 s of the slowest projection on two threads).
const FIRST_CHUNK: usize = 256;
/// Bounds of an adaptive chunk.
const MIN_CHUNK: usize = 64;
const MAX_CHUNK: usize = 1 << 20;

/// An observer of a long call: told the jobs done between chunks, and able to stop the call
/// (see the [module documentation](self)).
///
/// Two `Progress` values are equal when they share the same callback (clones of one
/// another) and chunk size.
#[derive(Clone)]
pub struct Progress {
    observer: Arc<Observer>,
    chunk: ChunkSize,
}

impl Progress {
    /// An observer calling `observer(done, total)` before the first chunk and after each
    /// chunk; returning [`ControlFlow::Break`] stops the call with
    /// [`OntrackError::Interrupted`]. Chunks are sized to take about 0.1 s each.
    pub fn new<F>(observer: F) -> Self
    where
        F: Fn(usize, usize) -> ControlFlow<()> + Send + Sync + 'static,
    {
        Self {
            observer: Arc::new(observer),
            chunk: ChunkSize::Adaptive,
        }
    }

    /// Run exactly `jobs` jobs per chunk (at least 1) instead of sizing chunks by time.
    #[must_use]
    pub fn with_chunk_size(mut self, jobs: usize) -> Self {
        self.chunk = ChunkSize::Fixed(jobs.max(1));
        self
    }

    /// Tell the observer; an error when it asks to stop.
    fn report(&self, done: usize, total: usize) -> Result<()> {
        match (self.observer)(done, total) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(OntrackError::Interrupted { done, total }),
        }
    }

    /// The size of the next chunk, from the size and duration of the previous one.
    fn next_chunk(&self, previous: usize, took: Duration) -> usize {
        match self.chunk {
            ChunkSize::Fixed(n) => n,
            ChunkSize::Adaptive => {
                #[allow(clippy::cast_precision_loss)] // a job count: far below 2^53
                let per_job = took.as_secs_f64() / previous.max(1) as f64;
                let fit = if per_job > 0.0 {
                    // Positive, and `as` saturates: the clamp below bounds it.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let fit = (CHUNK_TIME.as_secs_f64() / per_job) as usize;
                    fit
                } else {
                    MAX_CHUNK
                };
                // Grow at most fourfold at a time, so one fast chunk cannot make the next
                // one long.
                fit.clamp(
                    MIN_CHUNK,
                    previous.saturating_mul(4).clamp(MIN_CHUNK, MAX_CHUNK),
                )
            }
        }
    }

    fn first_chunk(&self) -> usize {
        match self.chunk {
            ChunkSize::Fixed(n) => n,
            ChunkSize::Adaptive => FIRST_CHUNK,
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("chunk", &self.chunk)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Progress {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.observer, &other.observer) && self.chunk == other.chunk
    }
}

/// Which of several passes over the same jobs a run is (`sensitivity` assesses the same
/// target × series pairs once per candidate base year): progress counts all passes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stage {
    /// This pass, from 0.
    pub index: usize,
    /// Passes in all (each with the same number of jobs).
    pub count: usize,
}

impl Stage {
    /// A call of one pass.
    pub const ONLY: Self = Self { index: 0, count: 1 };
}

/// Run `jobs` through `run`, which computes the outputs of a slice of jobs in order (in
/// parallel inside). Without an observer, one call on every job; with one, chunk by chunk,
/// reporting between chunks. The outputs are those of one call on every job, in job order.
///
/// # Errors
/// [`OntrackError::Interrupted`] when the observer asks to stop.
pub(crate) fn in_chunks<'j, J, R>(
    jobs: &'j [J],
    progress: Option<&Progress>,
    stage: Stage,
    run: impl Fn(&'j [J]) -> Vec<R>,
) -> Result<Vec<R>> {
    let Some(progress) = progress else {
        return Ok(run(jobs));
    };
    let n = jobs.len();
    let total = n.saturating_mul(stage.count);
    let offset = n.saturating_mul(stage.index);
    progress.report(offset, total)?;
    let mut out: Vec<R> = Vec::new();
    let mut rest = jobs;
    let mut size = progress.first_chunk();
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        let started = Instant::now();
        let mut part = run(chunk);
        out.append(&mut part);
        rest = tail;
        progress.report(offset + (n - rest.len()), total)?;
        size = progress.next_chunk(chunk.len(), started.elapsed());
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn chunks_keep_order_and_report_every_chunk() {
        let jobs: Vec<usize> = (0..10).collect();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let progress = Progress::new(move |d, t| {
            log.lock().unwrap().push((d, t));
            ControlFlow::Continue(())
        })
        .with_chunk_size(4);
        let stage = Stage { index: 1, count: 2 };
        let out = in_chunks(&jobs, Some(&progress), stage, |c| c.to_vec()).unwrap();
        assert_eq!(out, jobs);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![(10, 20), (14, 20), (18, 20), (20, 20)]
        );
    }

    #[test]
    fn a_stop_request_ends_the_run_between_chunks() {
        let ran = Arc::new(Mutex::new(0usize));
        let count = Arc::clone(&ran);
        let progress = Progress::new(|d, _| {
            if d >= 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .with_chunk_size(3);
        let jobs: Vec<usize> = (0..10).collect();
        let err = in_chunks(&jobs, Some(&progress), Stage::ONLY, |c| {
            *count.lock().unwrap() += c.len();
            c.to_vec()
        })
        .unwrap_err();
        assert!(matches!(
            err,
            OntrackError::Interrupted { done: 3, total: 10 }
        ));
        assert_eq!(*ran.lock().unwrap(), 3);
    }

    #[test]
    fn adaptive_chunks_aim_at_the_chunk_time() {
        let p = Progress::new(|_, _| ControlFlow::Continue(()));
        // 1 ms per job: 100 jobs make 0.1 s.
        assert_eq!(p.next_chunk(256, Duration::from_millis(256)), 100);
        // Very fast jobs: grow at most fourfold.
        assert_eq!(p.next_chunk(256, Duration::from_micros(10)), 1024);
        // Very slow jobs: never below the minimum.
        assert_eq!(p.next_chunk(256, Duration::from_secs(10)), MIN_CHUNK);
        assert_eq!(p.clone(), p);
        assert_ne!(p, Progress::new(|_, _| ControlFlow::Continue(())));
    }
}
