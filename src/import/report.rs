//! The import report of one file, as the clerk reads it.

use std::fmt;

use super::{Damaged, Dropped, FileReport, Outcome, chinese, required};

impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.input.display())?;
        if let Some(enc) = &self.encoding {
            write!(f, " (read as {enc})")?;
        }
        match (self.outcome, &self.output) {
            (Outcome::Written, Some(out)) => writeln!(f, "\n  wrote {}", out.display())?,
            (Outcome::Replaced, Some(out)) => writeln!(f, "\n  replaced {} (--force)", out.display())?,
            (Outcome::Unchanged, Some(out)) => writeln!(f, "\n  unchanged: {} is already this import", out.display())?,
            _ => writeln!(f, "\n  skipped: {}", self.skipped.as_deref().unwrap_or("nothing written"))?,
        }
        if !self.files.is_empty() {
            let names: Vec<String> = self.files.iter().map(|p| p.display().to_string()).collect();
            writeln!(f, "  wrote beside it: {}", names.join(", "))?;
        }
        if !self.found.is_empty() {
            writeln!(f, "  found:")?;
            let mut i = 0;
            while i < self.found.len() {
                let field = &self.found[i].0;
                let values: Vec<&str> =
                    self.found[i..].iter().take_while(|(g, _)| g == field).map(|(_, v)| v.as_str()).collect();
                i += values.len();
                writeln!(f, "    {field} {}: {}", chinese(field), values.join("；"))?;
            }
        }
        if !self.missing.is_empty() {
            let list: Vec<String> = self.missing.iter().map(|m| format!("{m} {}", chinese(m))).collect();
            writeln!(f, "  missing (left empty, not guessed): {}", list.join(", "))?;
            let required: Vec<&str> = self.missing.iter().map(String::as_str).filter(|m| required(m)).collect();
            if !required.is_empty() && self.skipped.is_none() {
                writeln!(f, "    required: {} — fill it in, or the build refuses this notice", required.join(", "))?;
            }
        }
        if !self.damaged.is_empty() {
            writeln!(f, "  damaged in the source (not repaired, not written as metadata):")?;
            for Damaged { field, raw, why } in &self.damaged {
                writeln!(f, "    {field} {}: `{raw}` — {why}", chinese(field))?;
            }
        }
        if !self.remarks.is_empty() {
            writeln!(f, "  check:")?;
            for r in &self.remarks {
                writeln!(f, "    - {r}")?;
            }
        }
        if !self.dropped.is_empty() {
            writeln!(f, "  left out of the body:")?;
            for Dropped { line, text, why } in &self.dropped {
                let short: String = text.chars().take(36).collect();
                let ellipsis = if text.chars().count() > 36 { "…" } else { "" };
                writeln!(f, "    {} {line}: {short}{ellipsis} — {why}", self.unit)?;
            }
        }
        Ok(())
    }
}
