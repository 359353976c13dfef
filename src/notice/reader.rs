//! Reading front-matter fields by their schema names: text, lists, typed values,
//! each problem a diagnostic at the field's line.

use crate::text::store::TextStore;
use serde_yaml::Value;

use crate::content::NoticeSource;
use crate::content::frontmatter::{RawField, control_character, describe, scalar_text};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::schema::{self, Field, FieldError};
use crate::text::LineIndex;

/// The fields of one notice, by schema field, and the diagnostics about them.
pub struct Reader<'a> {
    pub source: &'a NoticeSource,
    /// The fields this kind of file may have (`schema::FIELDS` for a notice).
    schema: &'static [Field],
    lines: LineIndex<'a>,
    fields: Vec<(&'static Field, RawField)>,
    pub diags: Vec<Diagnostic>,
    /// Where the texts read are kept.
    pub texts: &'a TextStore,
}

impl<'a> Reader<'a> {
    /// Map every key to its field; an unknown key gets a did-you-mean, a field
    /// given twice (as English and Chinese names) an error.
    pub fn new(source: &'a NoticeSource, text: &'a str, raw: Vec<RawField>, texts: &'a TextStore) -> Reader<'a> {
        Reader::with_schema(schema::FIELDS, source, text, raw, texts)
    }

    /// A reader of another kind of file (a standing page) with its own fields.
    pub fn with_schema(
        schema: &'static [Field],
        source: &'a NoticeSource,
        text: &'a str,
        raw: Vec<RawField>,
        texts: &'a TextStore,
    ) -> Reader<'a> {
        let mut r =
            Reader { source, schema, lines: LineIndex::new(text), fields: Vec::new(), diags: Vec::new(), texts };
        for field in raw {
            // One rule for every field: a control character is refused at its line.
            if let Some(c) = control_character(&field.value) {
                let d = Diagnostic::new(
                    Code::ControlCharacter,
                    &source.display,
                    format!("field `{}` holds the control character U+{:04X}", field.key, c as u32),
                )
                .field(field.key.clone())
                .found(format!("{c:?}"))
                .expected("text without control characters (tabs and line breaks are fine)")
                .hint("remove the escape (`\\0`, `\\e`, `\\x1b` …) from the value; a page cannot show it");
                r.push_at(d, field.line, Some(1));
            }
            match schema::lookup_in(schema, &field.key) {
                Some(f) => match r.fields.iter().find(|(g, _)| g.name == f.name) {
                    Some((_, first)) => {
                        let d = Diagnostic::new(
                            Code::FieldTwice,
                            &source.display,
                            format!("field `{}` is given twice", f.name),
                        )
                        .field(f.name)
                        .found(format!("`{}` here and `{}` on line {}", field.key, first.key, first.line))
                        .expected("each field once (the Chinese name is an alias of the English one)");
                        r.push_at(d, field.line, Some(1));
                    }
                    None => r.fields.push((f, field)),
                },
                None => {
                    let mut d = Diagnostic::new(
                        Code::UnknownField,
                        &source.display,
                        format!("unknown field `{}` is ignored", field.key),
                    )
                    .field(field.key.clone())
                    .expected(format!(
                        "one of the fields listed in docs/clerk.md ({} …)",
                        schema.iter().take(4).map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ));
                    if let Some(m) = did_you_mean(&field.key, schema::keys_in(schema)) {
                        d = d.hint(format!("did you mean `{m}`?"));
                    }
                    r.push_at(d, field.line, Some(1));
                }
            }
        }
        r
    }

    /// Push a diagnostic located at a line of the file, with that line's text.
    pub fn push_at(&mut self, mut d: Diagnostic, line: usize, column: Option<usize>) {
        d = d.at(line, column);
        d.source_line = self.lines.line(line).map(str::to_owned);
        self.diags.push(d);
    }

    fn field(&self, name: &str) -> &'static Field {
        self.schema.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no field `{name}` in the schema"))
    }

    pub fn get(&self, name: &str) -> Option<&RawField> {
        self.fields.iter().find(|(f, _)| f.name == name).map(|(_, raw)| raw)
    }

    /// The fields given, with their lines and value columns.
    pub fn positions(&self) -> Vec<FieldPosition> {
        self.fields.iter().map(|(f, raw)| FieldPosition { field: f.name, line: raw.line, column: raw.column }).collect()
    }

    /// An error about the value of field `name`.
    pub fn error(&mut self, name: &str, err: FieldError) {
        let Some(raw) = self.get(name).cloned() else { return };
        self.error_found(name, err, found_text(&raw.value));
    }

    /// An error about field `name`, saying what was found.
    pub fn error_found(&mut self, name: &str, err: FieldError, found: String) {
        let Some(raw) = self.get(name).cloned() else { return };
        let mut d =
            Diagnostic::new(err.code, &self.source.display, format!("{}: {}", self.field(name).label, err.message))
                .field(name)
                .found(found)
                .expected(err.expected);
        if let Some(h) = err.hint {
            d = d.hint(h);
        }
        self.push_at(d, raw.line, Some(raw.column));
    }

    pub fn warn(&mut self, name: &str, message: String, found: String, expected: String, hint: Option<String>) {
        let Some(raw) = self.get(name).cloned() else { return };
        let mut d = Diagnostic::new(Code::FieldDoubt, &self.source.display, message)
            .field(name)
            .found(found)
            .expected(expected);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.push_at(d, raw.line, Some(raw.column));
    }

    /// A required field that is not given, or given with no value: at its line
    /// when it is written.
    pub fn missing(&mut self, name: &str) {
        let field = self.field(name);
        let expected = format!("a line `{name}: {}` in the front matter", field.example);
        let d = match self.get(name).map(|raw| (raw.key.clone(), raw.line, raw.column)) {
            Some((key, line, column)) => {
                let d = Diagnostic::new(
                    Code::FieldMissing,
                    &self.source.display,
                    format!("required field `{name}` ({}) is empty", field.label),
                )
                .field(name)
                .found(format!("`{key}:` with no value"))
                .expected(expected);
                return self.push_at(d, line, Some(column));
            }
            None => Diagnostic::new(
                Code::FieldMissing,
                &self.source.display,
                format!("missing required field `{name}` ({})", field.label),
            ),
        };
        self.push_at(d.field(name).expected(expected), 1, Some(1));
    }

    /// A text field; numbers are taken as text, empty values as absent.
    pub fn text(&mut self, name: &str) -> Option<String> {
        let value = self.get(name)?.value.clone();
        match value {
            Value::Null => None,
            v => match scalar_text(&v) {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s.trim().to_owned()),
                None => {
                    self.error(name, FieldError::new("expected text", "a single line of text"));
                    None
                }
            },
        }
    }

    /// Whether a field is given with a value (not empty).
    pub fn has_value(&self, name: &str) -> bool {
        self.get(name).is_some_and(|f| scalar_text(&f.value).is_some_and(|s| !s.trim().is_empty()))
    }

    /// A field that may be one value or a list of values.
    pub fn list(&mut self, name: &str) -> Vec<String> {
        let Some(value) = self.get(name).map(|f| f.value.clone()) else { return Vec::new() };
        let items: Vec<&Value> = match &value {
            Value::Null => return Vec::new(),
            Value::Sequence(seq) => seq.iter().collect(),
            v => vec![v],
        };
        let mut out = Vec::new();
        for item in items {
            match scalar_text(item) {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                Some(_) => {}
                None => {
                    self.error(name, FieldError::new("list item is not text", "text, or a list of texts (`- …` lines)"))
                }
            }
        }
        out
    }

    /// A text field read by `parse`.
    pub fn parsed<T>(&mut self, name: &str, parse: impl Fn(&str) -> Result<T, FieldError>) -> Option<T> {
        let text = self.text(name)?;
        match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(name, e);
                None
            }
        }
    }

    /// Every item of a list field read by `parse`; each bad item is an error
    /// naming it.
    pub fn parsed_list<T>(&mut self, name: &str, parse: impl Fn(&str) -> Result<T, FieldError>) -> Vec<T> {
        let mut out = Vec::new();
        for text in self.list(name) {
            match parse(&text) {
                Ok(v) => out.push(v),
                Err(e) => self.error_found(name, e, text),
            }
        }
        out
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// Where a field was written, for diagnostics that compare notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPosition {
    pub field: &'static str,
    pub line: usize,
    pub column: usize,
}

fn found_text(v: &Value) -> String {
    scalar_text(v).unwrap_or_else(|| describe(v))
}
