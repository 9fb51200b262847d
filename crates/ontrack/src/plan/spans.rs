//! Where things are in a plan file: byte spans of entries and fields (from the TOML parser,
//! or a small scanner for JSON), 1-based line and column positions, and errors placed at them.

use std::ops::Range;

use crate::error::OntrackError;

pub(super) fn plan_error(
    file: &str,
    pos: Option<Pos>,
    target_id: Option<String>,
    message: String,
) -> OntrackError {
    OntrackError::Plan {
        file: if file.is_empty() {
            "<plan>".to_string()
        } else {
            file.to_string()
        },
        line: pos.map(|p| p.line),
        column: pos.map(|p| p.column),
        target_id,
        message,
    }
}

/// serde's type names in words a plan author knows.
fn friendly(message: &str) -> String {
    message
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected an integer (a year)")
        .replace("expected a boolean", "expected true or false")
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pos {
    pub(super) line: usize,
    pub(super) column: usize,
}

/// Byte offsets of line starts, to turn offsets into [`Pos`].
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// Byte offset where 1-based `line` starts (the end of the text past the last line).
    pub(super) fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub(super) fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_start(line);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset.saturating_sub(start), |s| s.chars().count());
        Pos {
            line,
            column: column + 1,
        }
    }
}

/// Byte spans of one field: key and value.
#[derive(Debug, Clone)]
pub(super) struct FieldSpans {
    pub(super) name: String,
    pub(super) key: Range<usize>,
    pub(super) value: Range<usize>,
}

/// Byte spans of one table (a `[[targets]]` header or a JSON object) and its fields.
#[derive(Debug, Clone, Default)]
pub(super) struct EntrySpans {
    pub(super) span: Range<usize>,
    pub(super) id: Option<String>,
    pub(super) fields: Vec<FieldSpans>,
}

impl EntrySpans {
    /// The last byte this entry covers: its header or object, or its last value.
    fn end(&self) -> usize {
        self.fields
            .iter()
            .map(|f| f.value.end)
            .fold(self.span.end, usize::max)
    }

    fn contains(&self, offset: usize) -> bool {
        self.span.start <= offset && offset <= self.end()
    }

    pub(super) fn field_at(&self, offset: usize) -> Option<&FieldSpans> {
        self.fields
            .iter()
            .find(|f| f.key.start <= offset && offset <= f.value.end)
    }
}

/// The spans of a plan file's entries, in file order.
#[derive(Debug, Clone, Default)]
pub(super) struct SourceSpans {
    pub(super) plan: Option<EntrySpans>,
    pub(super) groups: Vec<EntrySpans>,
    pub(super) targets: Vec<EntrySpans>,
}

impl SourceSpans {
    /// The target whose entry starts last before `offset`, unless a group starts in between
    /// (for syntax errors, where the entry's extent is unknown).
    pub(super) fn preceding_target(&self, offset: usize) -> Option<String> {
        let before = |e: &&EntrySpans| e.span.start <= offset;
        let target = self.targets.iter().rfind(before)?;
        let group_start = self.groups.iter().rfind(before).map(|g| g.span.start);
        let plan_start = self.plan.as_ref().filter(before).map(|p| p.span.start);
        if group_start.max(plan_start) > Some(target.span.start) {
            return None;
        }
        target.id.clone()
    }

    /// Turn a deserialization error at `offset` into a positioned plan error.
    pub(super) fn locate(
        &self,
        file: &str,
        offset: Option<usize>,
        message: &str,
        index: &LineIndex<'_>,
    ) -> OntrackError {
        let Some(offset) = offset else {
            return plan_error(file, None, None, message.to_string());
        };
        let in_target = self.targets.iter().rfind(|e| e.contains(offset));
        let in_group = self.groups.iter().rfind(|e| e.contains(offset));
        let in_plan = self.plan.as_ref().filter(|e| e.contains(offset));
        let Some(entry) = in_target.or(in_group).or(in_plan) else {
            return plan_error(file, Some(index.pos(offset)), None, message.to_string());
        };
        let message = friendly(message);
        let message = message.as_str();
        let unknown_field = message.starts_with("unknown field");
        let (at, message) = match entry.field_at(offset) {
            Some(f) if unknown_field => (f.key.start, message.to_string()),
            Some(f) => (f.value.start, format!("field {:?}: {message}", f.name)),
            None => (entry.span.start, message.to_string()),
        };
        let (target_id, message) = if in_target.is_some() {
            match &entry.id {
                Some(id) => (Some(id.clone()), message),
                None => {
                    let n = self
                        .targets
                        .iter()
                        .position(|t| std::ptr::eq(t, entry))
                        .map_or(0, |i| i + 1);
                    (None, format!("[[targets]] entry {n}: {message}"))
                }
            }
        } else if in_group.is_some() {
            let name = entry.id.as_deref().unwrap_or("?");
            (None, format!("group {name:?}: {message}"))
        } else {
            (None, format!("[plan]: {message}"))
        };
        plan_error(file, Some(index.pos(at)), target_id, message)
    }
}

/// Positions kept with a parsed plan, for the errors of [`Plan::to_target_specs`].
#[derive(Debug, Clone, Default)]
pub(super) struct Origin {
    pub(super) file: String,
    pub(super) plan: Option<EntryPos>,
    pub(super) groups: Vec<EntryPos>,
    pub(super) targets: Vec<EntryPos>,
}

#[derive(Debug, Clone)]
pub(super) struct EntryPos {
    pub(super) at: Pos,
    /// (field, position of its value)
    pub(super) fields: Vec<(String, Pos)>,
}

impl EntryPos {
    pub(super) fn new(e: &EntrySpans, index: &LineIndex<'_>) -> Self {
        Self {
            at: index.pos(e.span.start),
            fields: e
                .fields
                .iter()
                .map(|f| (f.name.clone(), index.pos(f.value.start)))
                .collect(),
        }
    }

    pub(super) fn value_pos(&self, field: &str) -> Option<Pos> {
        self.fields
            .iter()
            .find(|(n, _)| n == field)
            .map(|(_, p)| *p)
    }
}

impl Origin {
    pub(super) fn new(file: &str, spans: &SourceSpans, index: &LineIndex<'_>) -> Self {
        Self {
            file: file.to_string(),
            plan: spans.plan.as_ref().map(|e| EntryPos::new(e, index)),
            groups: spans
                .groups
                .iter()
                .map(|e| EntryPos::new(e, index))
                .collect(),
            targets: spans
                .targets
                .iter()
                .map(|e| EntryPos::new(e, index))
                .collect(),
        }
    }
}

// TOML: the spanned document of the `toml` crate.

type TomlValue<'a> = toml::Spanned<toml::de::DeValue<'a>>;

pub(super) fn toml_spans(root: &toml::de::DeTable<'_>) -> SourceSpans {
    let get = |name: &str| {
        root.iter()
            .find(|(k, _)| k.get_ref().as_ref() == name)
            .map(|(_, v)| v)
    };
    let entries = |name: &str| -> Vec<EntrySpans> {
        match get(name).map(toml::Spanned::get_ref) {
            Some(toml::de::DeValue::Array(items)) => items.iter().map(toml_entry).collect(),
            _ => Vec::new(),
        }
    };
    SourceSpans {
        plan: get("plan").map(toml_entry),
        groups: entries("groups"),
        targets: entries("targets"),
    }
}

fn toml_entry(item: &TomlValue<'_>) -> EntrySpans {
    let mut entry = EntrySpans {
        span: item.span(),
        ..EntrySpans::default()
    };
    if let toml::de::DeValue::Table(table) = item.get_ref() {
        for (k, v) in table.iter() {
            let name = k.get_ref().to_string();
            if name == "id" {
                entry.id = v.get_ref().as_str().map(str::to_string);
            }
            entry.fields.push(FieldSpans {
                name,
                key: k.span(),
                value: v.span(),
            });
        }
    }
    entry
}

// JSON: serde_json keeps no positions, so a small scanner finds the spans of the
// already-validated text.

enum JsonNode {
    Object(Vec<JsonField>),
    Array(Vec<(Range<usize>, JsonNode)>),
    Scalar,
}

struct JsonField {
    name: String,
    key: Range<usize>,
    value: Range<usize>,
    node: JsonNode,
}

struct JsonScanner<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl JsonScanner<'_> {
    const MAX_DEPTH: usize = 128;

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn string(&mut self) -> Option<Range<usize>> {
        self.skip_ws();
        let start = self.pos;
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(start..self.pos);
                }
                _ => self.pos += 1,
            }
        }
    }

    fn value(&mut self) -> Option<(Range<usize>, JsonNode)> {
        self.skip_ws();
        let start = self.pos;
        let node = match self.peek()? {
            b'{' | b'[' if self.depth >= Self::MAX_DEPTH => return None,
            b'{' => {
                self.depth += 1;
                let node = self.object();
                self.depth -= 1;
                node?
            }
            b'[' => {
                self.depth += 1;
                let node = self.array();
                self.depth -= 1;
                node?
            }
            b'"' => {
                self.string()?;
                JsonNode::Scalar
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
                JsonNode::Scalar
            }
        };
        Some((start..self.pos, node))
    }

    fn object(&mut self) -> Option<JsonNode> {
        self.eat(b'{')?;
        let mut fields = Vec::new();
        if self.eat(b'}').is_some() {
            return Some(JsonNode::Object(fields));
        }
        loop {
            let key = self.string()?;
            let name: String = serde_json::from_str(self.text.get(key.clone())?).ok()?;
            self.eat(b':')?;
            let (value, node) = self.value()?;
            fields.push(JsonField {
                name,
                key,
                value,
                node,
            });
            if self.eat(b',').is_none() {
                self.eat(b'}')?;
                return Some(JsonNode::Object(fields));
            }
        }
    }

    fn array(&mut self) -> Option<JsonNode> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        if self.eat(b']').is_some() {
            return Some(JsonNode::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b',').is_none() {
                self.eat(b']')?;
                return Some(JsonNode::Array(items));
            }
        }
    }
}

pub(super) fn json_spans(text: &str) -> Option<SourceSpans> {
    let mut scanner = JsonScanner {
        text,
        pos: 0,
        depth: 0,
    };
    let (_, JsonNode::Object(root)) = scanner.value()? else {
        return None;
    };
    let entry = |span: &Range<usize>, node: &JsonNode| {
        let mut entry = EntrySpans {
            span: span.clone(),
            ..EntrySpans::default()
        };
        if let JsonNode::Object(fields) = node {
            for f in fields {
                if f.name == "id" {
                    entry.id = text
                        .get(f.value.clone())
                        .and_then(|s| serde_json::from_str::<String>(s).ok());
                }
                entry.fields.push(FieldSpans {
                    name: f.name.clone(),
                    key: f.key.clone(),
                    value: f.value.clone(),
                });
            }
        }
        entry
    };
    let entries = |name: &str| -> Vec<EntrySpans> {
        match root.iter().find(|f| f.name == name).map(|f| &f.node) {
            Some(JsonNode::Array(items)) => items.iter().map(|(s, n)| entry(s, n)).collect(),
            _ => Vec::new(),
        }
    };
    Some(SourceSpans {
        plan: root
            .iter()
            .find(|f| f.name == "plan")
            .map(|f| entry(&f.value, &f.node)),
        groups: entries("groups"),
        targets: entries("targets"),
    })
}
