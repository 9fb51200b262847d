//! Long calls that answer Ctrl-C and feed a progress bar.
//!
//! The Rust work runs on a thread of its own with the GIL released, reporting its progress
//! between chunks of jobs (see `ontrack::progress`). Meanwhile the calling thread — the
//! Python thread that made the call, where signal handlers run — wakes every
//! [`POLL`], takes the GIL briefly, runs any pending signal handlers
//! (`PyErr_CheckSignals`: Ctrl-C, a Jupyter kernel interrupt) and hands the latest
//! `(done, total)` to the Python progress callable. When either raises, the work is asked to
//! stop at its next chunk boundary, the call waits for it (nothing keeps running) and raises
//! that exception (`KeyboardInterrupt` for Ctrl-C).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::errors;

/// How often the calling thread checks for signals and updates the progress callable.
const POLL: Duration = Duration::from_millis(100);

/// What the work thread and the calling thread share.
#[derive(Default)]
struct Shared {
    done: AtomicUsize,
    total: AtomicUsize,
    stop: AtomicBool,
}

impl Shared {
    /// Run pending signal handlers and report progress; the error of either.
    fn poll(&self, py: Python<'_>, progress: Option<&Py<PyAny>>) -> PyResult<()> {
        py.check_signals()?;
        let total = self.total.load(Ordering::Relaxed);
        match progress {
            Some(callable) if total > 0 => {
                let done = self.done.load(Ordering::Relaxed);
                callable.bind(py).call1((done, total)).map(drop)
            }
            _ => Ok(()),
        }
    }
}

/// Run `work` with the GIL released, giving it an observer that stops it once a signal
/// handler or `progress` raised; `progress(done, total)` is called about every 0.1 s while
/// the work runs and once at the end.
///
/// # Errors
/// The exception a signal handler or `progress` raised (`KeyboardInterrupt` for Ctrl-C),
/// else the work's own error as its Python exception.
pub(crate) fn run_observed<T, F>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    work: F,
) -> PyResult<T>
where
    T: Send,
    F: FnOnce(ontrack::Progress) -> ontrack::Result<T> + Send,
{
    let shared = Arc::new(Shared::default());
    let observer = {
        let shared = Arc::clone(&shared);
        ontrack::Progress::new(move |done, total| {
            shared.done.store(done, Ordering::Relaxed);
            shared.total.store(total, Ordering::Relaxed);
            if shared.stop.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    };
    let (result, raised) = py.detach(|| {
        std::thread::scope(|scope| {
            let (sender, receiver) = mpsc::channel();
            scope.spawn(move || {
                // The receiver outlives this thread: the send cannot fail.
                let _ = sender.send(work(observer));
            });
            let mut raised: Option<PyErr> = None;
            loop {
                match receiver.recv_timeout(POLL) {
                    Ok(result) => return (Some(result), raised),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if raised.is_none() {
                            if let Err(err) =
                                Python::attach(|py| shared.poll(py, progress.as_ref()))
                            {
                                shared.stop.store(true, Ordering::Relaxed);
                                raised = Some(err);
                            }
                        }
                    }
                    // The work thread ended without a result (it panicked; the scope
                    // re-raises that panic).
                    Err(mpsc::RecvTimeoutError::Disconnected) => return (None, raised),
                }
            }
        })
    });
    if let Some(err) = raised {
        return Err(err);
    }
    let value = result
        .ok_or_else(|| PyRuntimeError::new_err("the computation ended without a result"))?
        .map_err(errors::to_py)?;
    // A last report, so that a bar shown ends full.
    shared.poll(py, progress.as_ref())?;
    Ok(value)
}
