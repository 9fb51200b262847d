//! Matching targets to series: one job per target × series (or group of sub-unit series), a
//! job per target without data and per series without a target.

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::options::AssessOptions;
use crate::panel::Panel;
use crate::target::{TargetKind, TargetSpec};

use super::targets::Targets;

/// Which series a target covers.
pub(super) enum Job {
    /// A target on one series.
    Series { target: usize, group: usize },
    /// A share-of-units target over several sub-unit series with the same other keys (boxed:
    /// a job is three words, and a million of them are built for a million targets).
    Units(Box<UnitsJob>),
    /// A target without any matching series.
    NoData { target: usize },
    /// A series without any target.
    Untargeted { group: usize },
}

/// A share-of-units job: target `target` over the sub-unit series `groups`, whose other
/// keys are `keys` (the sub-unit key null).
pub(super) struct UnitsJob {
    pub(super) target: usize,
    pub(super) groups: Vec<usize>,
    pub(super) keys: Vec<Option<String>>,
}

/// Whether series `g` matches the key filters of `spec` (a null or absent filter matches any
/// value; the key `skip` is not compared).
fn key_matches(
    spec: &TargetSpec,
    panel: &Panel,
    g: usize,
    by: &[String],
    skip: Option<&str>,
) -> bool {
    by.iter().enumerate().all(|(i, name)| {
        if skip == Some(name.as_str()) {
            return true;
        }
        match spec.keys.get(name) {
            Some(Some(want)) => panel.key(g, i + 1) == Some(want.as_str()),
            _ => true,
        }
    })
}

pub(super) fn plan_jobs(panel: &Panel, targets: Targets<'_>, options: &AssessOptions) -> Vec<Job> {
    // Targets naming every key find their series by one lookup in the panel's index; only
    // targets with a wildcard (null) key, or over sub-units, scan the series of their
    // indicator.
    // Named targets look their series up in parallel. Target `t` tries series `t` first:
    // targets listed in the order of the series (one each) find theirs without hashing.
    let lookups: Vec<Option<Option<usize>>> = (0..targets.len())
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(options.by.len() + 1),
            |full_key: &mut Vec<Option<&str>>, t| {
                if targets.kind(t) == Some(TargetKind::ShareOfUnits) {
                    return None;
                }
                full_key.clear();
                full_key.push(Some(targets.indicator(t)?));
                for (k, b) in options.by.iter().enumerate() {
                    full_key.push(Some(targets.key(t, k, b)?));
                }
                Some(panel.find(full_key, t))
            },
        )
        .collect();
    let mut by_indicator: Option<PlHashMap<&str, Vec<usize>>> = None;
    let mut targeted = vec![false; panel.len()];
    let mut jobs = Vec::with_capacity(targets.len());
    for (t, lookup) in lookups.into_iter().enumerate() {
        match lookup {
            Some(Some(g)) => {
                if let Some(flag) = targeted.get_mut(g) {
                    *flag = true;
                }
                jobs.push(Job::Series {
                    target: t,
                    group: g,
                });
                continue;
            }
            Some(None) => {
                if options.include_targets_without_data {
                    jobs.push(Job::NoData { target: t });
                }
                continue;
            }
            None => {}
        }
        // A target with a wildcard key, or over sub-units: its spec, for the key filters.
        let Some(spec) = targets.spec(t) else {
            continue;
        };
        let spec: &TargetSpec = &spec;
        let by_indicator = by_indicator.get_or_insert_with(|| {
            let mut map: PlHashMap<&str, Vec<usize>> = PlHashMap::default();
            for g in 0..panel.len() {
                if let Some(ind) = panel.key(g, 0) {
                    map.entry(ind).or_default().push(g);
                }
            }
            map
        });
        let candidates = by_indicator
            .get(spec.indicator.as_str())
            .map_or(&[][..], Vec::as_slice);
        let unit = spec
            .unit_column
            .as_deref()
            .filter(|_| spec.kind == TargetKind::ShareOfUnits);
        let matched: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&g| key_matches(spec, panel, g, &options.by, unit))
            .collect();
        for &g in &matched {
            if let Some(flag) = targeted.get_mut(g) {
                *flag = true;
            }
        }
        if matched.is_empty() {
            if options.include_targets_without_data {
                jobs.push(Job::NoData { target: t });
            }
        } else if let Some(unit) = unit {
            // Partition the sub-unit series by their other keys.
            let unit_pos = options.by.iter().position(|b| b == unit).map(|p| p + 1);
            let mut parts: HashMap<Vec<Option<String>>, Vec<usize>> = HashMap::new();
            let mut order = Vec::new();
            for g in matched {
                let mut key = panel.owned_keys(g);
                if let Some(slot) = unit_pos.and_then(|p| key.get_mut(p)) {
                    *slot = None;
                }
                let entry = parts.entry(key.clone()).or_default();
                if entry.is_empty() {
                    order.push(key);
                }
                entry.push(g);
            }
            for key in order {
                if let Some(groups) = parts.remove(&key) {
                    jobs.push(Job::Units(Box::new(UnitsJob {
                        target: t,
                        groups,
                        keys: key,
                    })));
                }
            }
        } else {
            jobs.extend(matched.into_iter().map(|g| Job::Series {
                target: t,
                group: g,
            }));
        }
    }
    if options.include_untargeted {
        jobs.extend(
            targeted
                .iter()
                .enumerate()
                .filter(|(_, t)| !**t)
                .map(|(g, _)| Job::Untargeted { group: g }),
        );
    }
    jobs
}
