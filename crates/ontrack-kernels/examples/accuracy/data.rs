//! The yearly validation sets, their seeded validation/test split and the cut samples.

use std::collections::BTreeMap;

/// Years held out at the end of every series.
pub const H: usize = 6;
/// Series lengths evaluated besides the full series: the monitoring case of a series cut to its
/// last `K` points before the held-out years.
pub const CUTS: [usize; 3] = [12, 8, 5];
/// Series of Gapminder and WDI need at least this many observed years (the longest cut plus the
/// held-out years), so that every length is evaluated on the same series.
const MIN_POINTS: usize = 12 + H;
/// Seed of the validation/test split of the series.
pub const SPLIT_SEED: u64 = 0x6f6e_7472_6163_6b00;

/// One observed yearly series.
pub struct Series {
    pub set: &'static str,
    pub id: String,
    pub years: Vec<f64>,
    pub values: Vec<f64>,
}

/// The length a series is cut to before fitting.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Length {
    Full,
    Last(usize),
}

impl std::fmt::Display for Length {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Full => f.write_str("full"),
            Self::Last(k) => write!(f, "{k}"),
        }
    }
}

/// A fitting sample: the points before the held-out years (cut to a length) and the held-out
/// years.
pub struct Sample<'a> {
    pub years: &'a [f64],
    pub values: &'a [f64],
    pub test_years: &'a [f64],
    pub test_values: &'a [f64],
    /// In-sample mean absolute first difference (the MASE scale), > 0.
    pub scale: f64,
}

/// The repository's `data` directory. The crate's directory is read when the program runs
/// (cargo sets it for tests and `cargo run`), so that a binary reused from a shared target
/// directory built in another checkout reads this checkout's files.
fn root() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(
            || env!("CARGO_MANIFEST_DIR").into(),
            std::path::PathBuf::from,
        )
        .join("../../data")
}

/// Splits one CSV line on commas outside double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn m1() -> Vec<Series> {
    let mut by_id: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for line in read("m1_yearly/m1_yearly.csv").lines().skip(1) {
        let f = split_csv(line.trim_end_matches('\r'));
        if f.len() < 6 {
            continue;
        }
        let p = (f[2].parse().unwrap(), f[4].parse().unwrap());
        by_id.entry(f[0].clone()).or_default().push(p);
    }
    by_id
        .into_iter()
        .map(|(id, pts)| make("M1", id, pts))
        .filter(|s| s.years.len() >= H + 3)
        .collect()
}

fn gapminder() -> Vec<Series> {
    const INDICATORS: [&str; 5] = [
        "infant_mortality",
        "life_expectancy",
        "fertility",
        "population",
        "gdp",
    ];
    let mut by_id: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for line in read("gapminder_dslabs/gapminder_dslabs.csv")
        .lines()
        .skip(1)
    {
        let f = split_csv(line.trim_end_matches('\r'));
        if f.len() < 7 {
            continue;
        }
        let year: f64 = f[1].parse().unwrap();
        for (i, ind) in INDICATORS.iter().enumerate() {
            if let Ok(v) = f[2 + i].parse::<f64>() {
                by_id
                    .entry(format!("{}/{ind}", f[0]))
                    .or_default()
                    .push((year, v));
            }
        }
    }
    by_id
        .into_iter()
        .map(|(id, pts)| make("Gapminder", id, pts))
        .filter(|s| s.years.len() >= MIN_POINTS)
        .collect()
}

fn wdi() -> Vec<Series> {
    let text = read("wdi_fertility/fertility.csv");
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    let years: Vec<f64> = header[4..].iter().map(|y| y.parse().unwrap()).collect();
    lines
        .map(|line| split_csv(line.trim_end_matches('\r')))
        .filter(|f| f.len() == header.len())
        .map(|f| {
            let pts = years
                .iter()
                .zip(&f[4..])
                .filter_map(|(y, v)| v.parse::<f64>().ok().map(|v| (*y, v)))
                .collect();
            make("WDI fertility", f[1].clone(), pts)
        })
        .filter(|s| s.years.len() >= MIN_POINTS)
        .collect()
}

fn make(set: &'static str, id: String, mut pts: Vec<(f64, f64)>) -> Series {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    Series {
        set,
        id,
        years: pts.iter().map(|p| p.0).collect(),
        values: pts.iter().map(|p| p.1).collect(),
    }
}

/// Every series of every set: M1 yearly (181), Gapminder (country × indicator) and WDI
/// fertility.
pub fn load_all() -> Vec<Series> {
    let mut out = m1();
    out.extend(gapminder());
    out.extend(wdi());
    out
}

/// SplitMix64 finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Validation (`true`) or test: half of the series, by a seeded hash (FNV-1a of
/// `set/id`, then SplitMix64 with [`SPLIT_SEED`]): the split does not depend on order, on the
/// other series or on the platform.
pub fn is_validation(s: &Series) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s
        .set
        .bytes()
        .chain(std::iter::once(b'/'))
        .chain(s.id.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h ^ SPLIT_SEED) & 1 == 0
}

/// The sample of `s` at `length`; `None` when the series is shorter than the length or its
/// cut is constant (no MASE scale).
pub fn sample(s: &Series, length: Length) -> Option<Sample<'_>> {
    let n = s.years.len().checked_sub(H)?;
    let start = match length {
        Length::Full => 0,
        Length::Last(k) => n.checked_sub(k)?,
    };
    let (years, values) = (&s.years[start..n], &s.values[start..n]);
    if years.len() < 3 {
        return None;
    }
    let scale =
        values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (values.len() - 1) as f64;
    (scale > 0.0 && scale.is_finite()).then_some(Sample {
        years,
        values,
        test_years: &s.years[n..],
        test_values: &s.values[n..],
        scale,
    })
}

/// Every length evaluated, in table order.
pub fn lengths() -> Vec<Length> {
    std::iter::once(Length::Full)
        .chain(CUTS.iter().map(|k| Length::Last(*k)))
        .collect()
}
