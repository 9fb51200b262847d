//! A small bounded Nelder–Mead minimiser, written as a resumable state machine.
//!
//! Why a hand-written optimiser: the problems here have three parameters on a box and the
//! objective is a cheap recursion over at most a few dozen points. Nelder–Mead on a logistic
//! reparametrisation of the box is all that is needed; `argmin` would add `argmin-math`,
//! `num-traits`, `rand`, `anyhow`/`thiserror` and a generic solver framework to a crate that
//! otherwise only depends on `statrs`.
//!
//! Why a state machine: the run does not call the objective itself. It names the point it
//! needs next ([`NelderMead::pending`]) and is handed its value ([`NelderMead::feed`]), so
//! that the caller can evaluate the pending points of several independent runs (the
//! damped trend's starts) in one pass over the data, and can stop a run at a loose tolerance
//! and resume it later. Each run takes exactly the steps it would take alone.

/// Dimension of the parameter vector.
pub(crate) const DIM: usize = 3;
/// A point of the parameter space (or of its reparametrisation).
pub(crate) type Point = [f64; DIM];
/// Bounds of each coordinate.
pub(crate) type Bounds = [(f64, f64); DIM];

fn logistic(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

/// Maps a reparametrised point into the box.
pub(crate) fn to_box(u: &Point, bounds: &Bounds) -> Point {
    let mut x = [0.0; DIM];
    for ((xi, ui), (lo, hi)) in x.iter_mut().zip(u).zip(bounds) {
        *xi = lo + (hi - lo) * logistic(*ui);
    }
    x
}

/// Maps a point of the box to the reparametrisation (clamped just inside the box).
pub(crate) fn from_box(x: &Point, bounds: &Bounds) -> Point {
    let mut u = [0.0; DIM];
    for ((ui, xi), (lo, hi)) in u.iter_mut().zip(x).zip(bounds) {
        let p = ((xi - lo) / (hi - lo)).clamp(1e-6, 1.0 - 1e-6);
        *ui = (p / (1.0 - p)).ln();
    }
    u
}

/// Stable ascending sort of the simplex by value (insertion sort: no allocation, and the same
/// order as a stable `sort_by` with `total_cmp`).
fn sort_simplex(simplex: &mut [(Point, f64); DIM + 1]) {
    for i in 1..simplex.len() {
        let mut j = i;
        while j > 0 {
            let out_of_order = match (simplex.get(j - 1), simplex.get(j)) {
                (Some(a), Some(b)) => a.1.total_cmp(&b.1).is_gt(),
                _ => false,
            };
            if !out_of_order {
                break;
            }
            simplex.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// What the run waits for: the value of [`NelderMead::pending`] in one of these roles.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Vertex `i` of the initial simplex.
    Init(usize),
    /// The reflected point.
    Reflect,
    /// The expanded point; the reflected point and its value are kept.
    Expand { xr: Point, vr: f64 },
    /// The contracted point; the reflected point's value is kept.
    Contract { vr: f64 },
    /// Vertex `i` (1…DIM) of the shrunk simplex.
    Shrink(usize),
    /// Converged or out of iterations.
    Done,
}

/// One Nelder–Mead run on the reparametrised space `u` (the objective is evaluated at
/// `to_box(u)`; a value that is not finite counts as `+∞`).
///
/// Steps: reflection 1, expansion 2, outside / inside contraction ±½, shrink ½ towards the
/// best vertex; the initial simplex is the start plus a unit step along each coordinate; the
/// run stops when the worst and best values differ by at most `tol (1 + |best|)`, or after
/// `max_iter` iterations. A stopped run can be resumed with a smaller `tol`
/// ([`NelderMead::resume`]).
#[derive(Debug, Clone)]
pub(crate) struct NelderMead {
    simplex: [(Point, f64); DIM + 1],
    phase: Phase,
    pending: Point,
    iter: usize,
    max_iter: usize,
    /// Stopping tolerance (relative to `1 + |best|`).
    tol: f64,
    /// Of the current iteration (after sorting): best vertex, the best, second-worst and
    /// worst values, the worst vertex and the centroid of all but the worst.
    best: Point,
    best_v: f64,
    second_worst_v: f64,
    worst_v: f64,
    worst: Point,
    centroid: Point,
}

impl NelderMead {
    /// A run from the point `x0` of the box.
    pub(crate) fn new(x0: &Point, bounds: &Bounds, max_iter: usize, tol: f64) -> Self {
        let u0 = from_box(x0, bounds);
        let mut simplex: [(Point, f64); DIM + 1] = [(u0, 0.0); DIM + 1];
        for (i, (u, _)) in simplex.iter_mut().enumerate() {
            // vertex 0 is the start, vertex i ≥ 1 moves coordinate i - 1 by one
            if let Some(ui) = i.checked_sub(1).and_then(|k| u.get_mut(k)) {
                *ui += 1.0;
            }
        }
        Self {
            simplex,
            phase: Phase::Init(0),
            pending: u0,
            iter: 0,
            max_iter,
            tol,
            best: u0,
            best_v: 0.0,
            second_worst_v: 0.0,
            worst_v: 0.0,
            worst: u0,
            centroid: u0,
        }
    }

    /// The reparametrised point whose value the run needs next; `None` once it has finished.
    pub(crate) fn pending(&self) -> Option<Point> {
        (!matches!(self.phase, Phase::Done)).then_some(self.pending)
    }

    /// The best point (in the box) and its value; meaningful once [`Self::pending`] is `None`.
    pub(crate) fn result(&self, bounds: &Bounds) -> (Point, f64) {
        let [(u, v), ..] = self.simplex;
        (to_box(&u, bounds), v)
    }

    /// Continues a finished run with the tolerance `tol` (see [`Self::new`]); the steps are
    /// those of a run started with `tol`, since the tolerance only decides when to stop.
    pub(crate) fn resume(&mut self, tol: f64) {
        self.tol = tol;
        if matches!(self.phase, Phase::Done) {
            self.begin_iteration();
        }
    }

    fn along(&self, t: f64) -> Point {
        let mut x = self.centroid;
        for (xi, w) in x.iter_mut().zip(&self.worst) {
            *xi += t * (*xi - w);
        }
        x
    }

    fn set_value(&mut self, i: usize, v: f64) {
        if let Some(vertex) = self.simplex.get_mut(i) {
            vertex.1 = v;
        }
    }

    fn vertex(&self, i: usize) -> Point {
        self.simplex.get(i).map_or(self.best, |s| s.0)
    }

    fn replace_worst(&mut self, r: (Point, f64)) {
        if let Some(last) = self.simplex.last_mut() {
            *last = r;
        }
        self.begin_iteration();
    }

    /// Sorts the simplex and either finishes or asks for the reflected point.
    fn begin_iteration(&mut self) {
        if self.iter >= self.max_iter {
            return self.finish();
        }
        sort_simplex(&mut self.simplex);
        let [(best, best_v), .., (worst, worst_v)] = self.simplex;
        if (worst_v - best_v).abs() <= self.tol * (1.0 + best_v.abs()) {
            return self.finish();
        }
        // counted only once it goes ahead, so that a resumed run counts it once
        self.iter += 1;
        let mut centroid = [0.0; DIM];
        for (u, _) in self.simplex.iter().take(DIM) {
            for (c, ui) in centroid.iter_mut().zip(u) {
                *c += ui;
            }
        }
        #[allow(clippy::cast_precision_loss)] // a small constant dimension
        let k = DIM as f64;
        centroid.iter_mut().for_each(|c| *c /= k);
        self.best = best;
        self.best_v = best_v;
        self.worst = worst;
        self.worst_v = worst_v;
        self.second_worst_v = self.simplex.get(DIM - 1).map_or(worst_v, |s| s.1);
        self.centroid = centroid;
        self.pending = self.along(1.0);
        self.phase = Phase::Reflect;
    }

    fn finish(&mut self) {
        sort_simplex(&mut self.simplex);
        self.phase = Phase::Done;
    }

    /// Hands the run the objective's value at [`Self::pending`] (`+∞` when not finite).
    pub(crate) fn feed(&mut self, value: f64) {
        let v = if value.is_finite() {
            value
        } else {
            f64::INFINITY
        };
        match self.phase {
            Phase::Init(i) => {
                self.set_value(i, v);
                if i < DIM {
                    self.phase = Phase::Init(i + 1);
                    self.pending = self.vertex(i + 1);
                } else {
                    self.begin_iteration();
                }
            }
            Phase::Reflect => {
                let xr = self.pending;
                if v < self.best_v {
                    self.phase = Phase::Expand { xr, vr: v };
                    self.pending = self.along(2.0);
                } else if v < self.second_worst_v {
                    self.replace_worst((xr, v));
                } else {
                    self.phase = Phase::Contract { vr: v };
                    self.pending = self.along(if v < self.worst_v { 0.5 } else { -0.5 });
                }
            }
            Phase::Expand { xr, vr } => {
                let r = if v < vr { (self.pending, v) } else { (xr, vr) };
                self.replace_worst(r);
            }
            Phase::Contract { vr } => {
                if v < self.worst_v.min(vr) {
                    self.replace_worst((self.pending, v));
                } else {
                    // shrink towards the best vertex, then evaluate the moved vertices in turn
                    let best = self.best;
                    for (u, _) in self.simplex.iter_mut().skip(1) {
                        for (ui, bi) in u.iter_mut().zip(&best) {
                            *ui = bi + 0.5 * (*ui - bi);
                        }
                    }
                    self.phase = Phase::Shrink(1);
                    self.pending = self.vertex(1);
                }
            }
            Phase::Shrink(i) => {
                self.set_value(i, v);
                if i < DIM {
                    self.phase = Phase::Shrink(i + 1);
                    self.pending = self.vertex(i + 1);
                } else {
                    self.begin_iteration();
                }
            }
            Phase::Done => {}
        }
    }
}
