//! Reports: a readable text table (colour only in a terminal) and the shared shapes of check
//! reports. Generic: any check (LDAP, Microsoft identity, Exchange) can print through it.

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;

/// How a cell is emphasised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Plain,
    Ok,
    Warn,
    Fail,
    Dim,
}

impl Tone {
    fn ansi(self) -> &'static str {
        match self {
            Tone::Plain => "",
            Tone::Ok => "\x1b[32m",
            Tone::Warn => "\x1b[33m",
            Tone::Fail => "\x1b[31;1m",
            Tone::Dim => "\x1b[2m",
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
}

impl Cell {
    pub fn new(text: impl Into<String>, tone: Tone) -> Self {
        Cell {
            text: text.into(),
            tone,
        }
    }
    pub fn plain(text: impl Into<String>) -> Self {
        Cell::new(text, Tone::Plain)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::plain(s)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::plain(s)
    }
}

/// A table: left-aligned columns, a header row and a rule.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(headers: I) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }
    pub fn row(&mut self, cells: Vec<Cell>) -> &mut Self {
        self.rows.push(cells);
        self
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Render; `colour` adds ANSI colours (use [`colour_for_stdout`]).
    pub fn render(&self, colour: bool) -> String {
        let cols = self
            .headers
            .len()
            .max(self.rows.iter().map(Vec::len).max().unwrap_or(0));
        let mut width = vec![0usize; cols];
        for (i, h) in self.headers.iter().enumerate() {
            width[i] = width[i].max(h.chars().count());
        }
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                width[i] = width[i].max(c.text.chars().count());
            }
        }
        let mut out = String::new();
        let line = |cells: Vec<(String, Tone)>, out: &mut String| {
            let n = cells.len();
            for (i, (t, tone)) in cells.into_iter().enumerate() {
                let pad = width[i].saturating_sub(t.chars().count());
                if colour && tone != Tone::Plain {
                    out.push_str(tone.ansi());
                    out.push_str(&t);
                    out.push_str("\x1b[0m");
                } else {
                    out.push_str(&t);
                }
                if i + 1 < n {
                    out.push_str(&" ".repeat(pad + 2));
                }
            }
            out.push('\n');
        };
        let bold = |s: &str| {
            if colour {
                format!("\x1b[1m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let header: Vec<(String, Tone)> = self
            .headers
            .iter()
            .map(|h| (h.clone(), Tone::Plain))
            .collect();
        let mut hdr = String::new();
        line(header, &mut hdr);
        out.push_str(&bold(hdr.trim_end()));
        out.push('\n');
        out.push_str(&"-".repeat(width.iter().sum::<usize>() + 2 * cols.saturating_sub(1)));
        out.push('\n');
        for r in &self.rows {
            line(
                r.iter().map(|c| (c.text.clone(), c.tone)).collect(),
                &mut out,
            );
        }
        out
    }
}

/// Colour on stdout: only when it is a terminal and `NO_COLOR` is unset.
pub fn colour_for_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Paint one string (for lines outside tables).
pub fn paint(text: &str, tone: Tone, colour: bool) -> String {
    if colour && tone != Tone::Plain {
        format!("{}{}\x1b[0m", tone.ansi(), text)
    } else {
        text.to_string()
    }
}

/// Print a list of problems as `label code: message` + indented hint lines.
pub fn problem_lines(label: &str, problems: &[Problem], tone: Tone, colour: bool) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(&format!(
            "{} {}: {}\n",
            paint(label, tone, colour),
            p.code,
            p.message
        ));
        if !p.hint.is_empty() {
            out.push_str(&format!("    -> {}\n", p.hint));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_and_colours_only_when_asked() {
        let mut t = Table::new(["host", "result"]);
        t.row(vec!["a".into(), Cell::new("ok", Tone::Ok)]);
        t.row(vec!["longer-host".into(), Cell::new("failed", Tone::Fail)]);
        let plain = t.render(false);
        assert!(!plain.contains('\x1b'));
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(lines[0], "host         result");
        assert_eq!(lines[2], "a            ok");
        assert!(t.render(true).contains("\x1b[32mok\x1b[0m"));
    }
}
