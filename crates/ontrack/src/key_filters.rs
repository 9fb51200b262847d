//! The key filters of a target: which values of the series keys (`by` columns) it applies to.

use std::fmt;

use compact_str::CompactString;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Key column → value a target applies to (`None`: every value of that key), kept sorted by
/// key column. Names and values are [`CompactString`]s: up to 24 bytes inline.
///
/// A target names a handful of keys at most, so this is a sorted vector (one small
/// allocation) rather than a tree map, whose first node alone takes about half a kilobyte:
/// a million targets read from a frame would carry half a gigabyte of empty map nodes. It
/// behaves like a `BTreeMap<CompactString, Option<CompactString>>` for the operations targets use, and
/// is written to and read from plan files as a map.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KeyFilters(Vec<(CompactString, Option<CompactString>)>);

impl KeyFilters {
    /// No filters: the target applies to every value of every key.
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// The filter on `key`: `None` when the key is not named, `Some(None)` when it is named
    /// with a null value (every value).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Option<CompactString>> {
        self.position(key)
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    /// Whether `key` is named.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Set the filter on `key`, returning the previous one.
    pub fn insert(
        &mut self,
        key: impl Into<CompactString>,
        value: Option<impl Into<CompactString>>,
    ) -> Option<Option<CompactString>> {
        let (key, value) = (key.into(), value.map(Into::into));
        match self.position(&key) {
            Ok(i) => self
                .0
                .get_mut(i)
                .map(|slot| std::mem::replace(&mut slot.1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Remove the filter on `key`, returning it.
    pub fn remove(&mut self, key: &str) -> Option<Option<CompactString>> {
        let i = self.position(key).ok()?;
        Some(self.0.remove(i).1)
    }

    /// The filters in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&CompactString, &Option<CompactString>)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The named keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &CompactString> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl Iterator<Item = &Option<CompactString>> {
        self.0.iter().map(|(_, v)| v)
    }

    /// How many keys are named.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key is named.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Remove every filter.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    fn position(&self, key: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
}

impl<K: Into<CompactString>, V: Into<CompactString>> FromIterator<(K, Option<V>)> for KeyFilters {
    /// Filters from pairs; a key given twice keeps its last value, as a map would.
    fn from_iter<I: IntoIterator<Item = (K, Option<V>)>>(iter: I) -> Self {
        // One allocation: a million targets read from a frame build their filters each.
        let iter = iter.into_iter();
        let (lower, upper) = iter.size_hint();
        let mut pairs: Vec<(CompactString, Option<CompactString>)> =
            Vec::with_capacity(upper.unwrap_or(lower));
        pairs.extend(iter.map(|(k, v)| (k.into(), v.map(Into::into))));
        // Stable: among equal keys the last one given ends last, and its value is kept.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        if pairs.capacity() > 2 * pairs.len() {
            pairs.shrink_to_fit();
        }
        Self(pairs)
    }
}

impl<'a> IntoIterator for &'a KeyFilters {
    type Item = (&'a CompactString, &'a Option<CompactString>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (CompactString, Option<CompactString>)>,
        fn(
            &'a (CompactString, Option<CompactString>),
        ) -> (&'a CompactString, &'a Option<CompactString>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for KeyFilters {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for KeyFilters {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = KeyFilters;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of key column to value (or null)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyFilters, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, Option<String>>()? {
                    pairs.push(entry);
                }
                Ok(pairs.into_iter().collect())
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn behaves_like_a_sorted_map() {
        let pairs = [
            ("sex", Some("f")),
            ("region", Some("north")),
            ("age", None),
            ("region", Some("south")),
        ]
        .map(|(k, v)| (CompactString::from(k), v.map(CompactString::from)));
        let filters: KeyFilters = pairs.iter().cloned().collect();
        let map: BTreeMap<CompactString, Option<CompactString>> = pairs.iter().cloned().collect();
        assert_eq!(
            filters.iter().collect::<Vec<_>>(),
            map.iter().collect::<Vec<_>>()
        );
        assert_eq!(filters.get("region"), Some(&Some("south".into())));
        assert_eq!(filters.get("age"), Some(&None));
        assert_eq!(filters.get("year"), None);
        let mut f = filters.clone();
        assert_eq!(f.insert("age", Some("0-4")), Some(None));
        assert_eq!(f.insert("city", None::<&str>), None);
        assert_eq!(
            f.keys().map(CompactString::as_str).collect::<Vec<_>>(),
            ["age", "city", "region", "sex"]
        );
        assert_eq!(f.remove("city"), Some(None));
        assert_eq!(f.len(), 3);
        f.clear();
        assert!(f.is_empty());
    }

    #[test]
    fn reads_and_writes_as_a_map() {
        let json = r#"{"sex":"f","region":null}"#;
        let filters: KeyFilters = serde_json::from_str(json).unwrap();
        assert_eq!(
            filters
                .keys()
                .map(CompactString::as_str)
                .collect::<Vec<_>>(),
            ["region", "sex"]
        );
        let back = serde_json::to_string(&filters).unwrap();
        assert_eq!(back, r#"{"region":null,"sex":"f"}"#);
    }
}
