//! Diagnostics a clerk can act on: file, line, column, field, what was found and
//! what is expected — printed like a compiler's messages, and collected so that
//! every problem of a build is reported at once.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod codes;
pub use codes::{Code, readme_table as codes_table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information for a reviewer (for example a reference that cannot be resolved).
    Note,
}

/// One problem found in the content, with everything needed to find and fix it.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// The kind of problem (`E023`), stable across versions.
    pub code: Code,
    pub severity: Severity,
    /// Path as the user knows it (relative to the site root where possible).
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: String,
    pub found: Option<String>,
    pub expected: Option<String>,
    pub hint: Option<String>,
    /// The offending source line, shown under the location.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of kind `code`, with the severity the code has.
    pub fn new(code: Code, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            found: None,
            expected: None,
            hint: None,
            source_line: None,
        }
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach the text of the reported line, taken from the file's text.
    pub fn with_source(mut self, text: &str) -> Self {
        if let Some(line) = self.line {
            self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        }
        self
    }

    /// Re-label a diagnostic with the path people know.
    pub fn with_file(mut self, file: PathBuf) -> Self {
        self.file = file;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let code = self.code.id();
        match &self.field {
            Some(field) => writeln!(f, "{label}[{code}][{field}]: {}", self.message)?,
            None => writeln!(f, "{label}[{code}]: {}", self.message)?,
        }
        let mut location = self.file.display().to_string();
        if let Some(line) = self.line {
            location.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                location.push_str(&format!(":{col}"));
            }
        }
        writeln!(f, "  --> {location}")?;
        if let (Some(line), Some(src)) = (self.line, &self.source_line) {
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {}", truncate_for_display(src, 160))?;
            // No caret past the cut of a very long line: it would be a line of spaces.
            if let Some(col) = self.column.filter(|&c| c <= 161) {
                let indent: String =
                    src.chars().take(col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                writeln!(f, "{pad} | {indent}^")?;
            }
        }
        if let Some(found) = &self.found {
            writeln!(f, "   = found: {found}")?;
        }
        if let Some(expected) = &self.expected {
            writeln!(f, "   = expected: {expected}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "   = hint: {hint}")?;
        }
        Ok(())
    }
}

fn truncate_for_display(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max_chars).collect();
        out.push('…');
        out
    }
}

/// All diagnostics of one run, in a stable order.
#[derive(Debug, Default, Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn note_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Note).count()
    }

    /// Sort by file, then position, so output does not depend on thread timing.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// serde_yaml appends " at line L column C" to its messages; diagnostics give the
/// location on their own.
pub fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// "did you mean …?" for a misspelt name, from a list of known ones.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_field_and_expectation() {
        let d = Diagnostic::new(Code::FieldValue, Path::new("content/a.md"), "impossible date")
            .at(4, Some(12))
            .field("published")
            .found("2018-02-30")
            .expected("a real calendar date")
            .with_source("---\ntitle: x\nissuer: y\npublished: 2018-02-30\n");
        let text = d.to_string();
        assert!(text.starts_with("error[E023][published]: impossible date"), "{text}");
        assert!(text.contains("--> content/a.md:4:12"), "{text}");
        assert!(text.contains("4 | published: 2018-02-30"), "{text}");
        assert!(text.contains("found: 2018-02-30"), "{text}");
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        assert_eq!(did_you_mean("tittle", ["title", "issuer"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "issuer"]), None);
    }
}
