//! Medians and the printed table, with each row's floor, ratio and goal
//! (pure; the verdicts are `verdict.rs`'s).

use std::time::Duration;

use super::verdict::{self, Measured, Verdict};
pub use super::verdict::{Target, time};
use crate::out::json;

/// Median, min and max of some wall times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
    pub runs: usize,
}

/// `None` for no samples; an even count takes the mean of the middle two.
pub fn summarize(samples: &[Duration]) -> Option<Summary> {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let n = sorted.len();
    let median = match n {
        0 => return None,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    };
    Some(Summary {
        median,
        min: sorted[0],
        max: sorted[n - 1],
        runs: n,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Measured {
        summary: Summary,
        max_rss_kib: Option<u64>,
    },
    /// Not measured, and why (a missing peer, a command not written yet).
    NotAvailable(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: &'static str,
    pub target: Target,
    pub outcome: Outcome,
}

impl Row {
    fn measured(&self) -> Measured {
        match &self.outcome {
            Outcome::Measured {
                summary,
                max_rss_kib,
            } => Measured {
                median: Some(summary.median),
                peak_kib: *max_rss_kib,
            },
            _ => Measured::default(),
        }
    }
}

/// The verdict of `row`, with the floors of `rows` (the same run's).
fn verdict(row: &Row, rows: &[Row]) -> Verdict {
    let median = |name: &str| rows.iter().find(|r| r.name == name)?.measured().median;
    verdict::verdict(row.target, row.measured(), median)
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// The table, with a header; unavailable and failed rows say why.
pub fn table(rows: &[Row]) -> String {
    const HEADER: [&str; COLUMNS] = [
        "benchmark",
        "median",
        "min",
        "max",
        "peak RSS MiB",
        "runs",
        "floor",
        "ratio",
        "goal",
    ];
    let mut lines: Vec<Vec<String>> = vec![HEADER.map(String::from).to_vec()];
    for row in rows {
        let v = verdict(row, rows);
        let goal = match v.met {
            Some(true) => format!("{}: met", v.goal),
            Some(false) => format!("{}: MISSED", v.goal),
            None => v.goal,
        };
        let cells = match &row.outcome {
            Outcome::Measured {
                summary,
                max_rss_kib,
            } => vec![
                row.name.to_string(),
                time(summary.median),
                time(summary.min),
                time(summary.max),
                max_rss_kib.map_or("-".into(), mib),
                summary.runs.to_string(),
                v.floor,
                v.ratio_text,
                goal,
            ],
            Outcome::NotAvailable(why) => vec![row.name.to_string(), format!("n/a: {why}")],
            Outcome::Failed(why) => vec![row.name.to_string(), format!("FAILED: {why}")],
        };
        lines.push(cells);
    }
    aligned(&lines)
}

const COLUMNS: usize = 9;

/// Names and text left-aligned, numbers right-aligned; widths come from
/// complete rows only: a note spans the rest of its line.
fn aligned(lines: &[Vec<String>]) -> String {
    let mut widths = [0usize; COLUMNS];
    for line in lines.iter().filter(|l| l.len() == COLUMNS) {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| match i {
                0 => format!("{c:<w$}", w = widths[0]),
                _ if line.len() < COLUMNS => c.clone(),
                6..=8 => format!("{c:<w$}", w = widths[i]),
                _ => format!("{c:>w$}", w = widths[i]),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The rows as a JSON array; times in seconds.
pub fn to_json(rows: &[Row]) -> String {
    json::array(rows.iter().map(|row| {
        let v = verdict(row, rows);
        let met = v.met.map_or("null".into(), |m| m.to_string());
        let secs = |d: Duration| format!("{:.6}", d.as_secs_f64());
        let mut pairs = vec![("name", json::string(row.name))];
        match &row.outcome {
            Outcome::Measured {
                summary,
                max_rss_kib,
            } => {
                pairs.push(("median_s", secs(summary.median)));
                pairs.push(("min_s", secs(summary.min)));
                pairs.push(("max_s", secs(summary.max)));
                pairs.push(("runs", summary.runs.to_string()));
                pairs.push((
                    "peak_rss_kib",
                    max_rss_kib.map_or("null".into(), |k| k.to_string()),
                ));
            }
            Outcome::NotAvailable(why) => pairs.push(("not_available", json::string(why))),
            Outcome::Failed(why) => pairs.push(("failed", json::string(why))),
        }
        pairs.push(("floor", json::string(&v.floor)));
        let ratio = v.ratio.map_or("null".into(), |r| format!("{r:.4}"));
        pairs.push(("ratio", ratio));
        pairs.push(("goal", json::string(&v.goal)));
        pairs.push(("met", met));
        json::object(&pairs)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn measured(name: &'static str, target: Target, median: u64) -> Row {
        Row {
            name,
            target,
            outcome: Outcome::Measured {
                summary: summarize(&[ms(median)]).unwrap(),
                max_rss_kib: Some(10 * 1024),
            },
        }
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(summarize(&[]), None);
        let s = summarize(&[ms(30), ms(10), ms(20)]).unwrap();
        assert_eq!(
            (s.median, s.min, s.max, s.runs),
            (ms(20), ms(10), ms(30), 3)
        );
        let s = summarize(&[ms(40), ms(10), ms(20), ms(1000)]).unwrap();
        assert_eq!((s.median, s.min, s.max), (ms(30), ms(10), ms(1000)));
    }

    #[test]
    fn times_read_naturally() {
        assert_eq!(time(Duration::from_micros(12_345)), "12.3ms");
        assert_eq!(time(ms(150)), "150ms");
        assert_eq!(time(ms(12_340)), "12.34s");
    }

    #[test]
    fn the_table_aligns_measured_rows_and_spells_out_the_others() {
        let rows = vec![
            measured("versions", Target::AtMost(ms(150)), 42),
            measured("peer", Target::None, 21),
            measured("notes", Target::RatioOf("peer", 100), 42),
            Row {
                name: "release",
                target: Target::AtMost(ms(300)),
                outcome: Outcome::NotAvailable("release command not available yet".into()),
            },
        ];
        assert_eq!(
            table(&rows),
            "\
benchmark  median     min     max  peak RSS MiB  runs  floor        ratio  goal
versions   42.0ms  42.0ms  42.0ms          10.0     1  -                   <= 150ms: met
peer       21.0ms  21.0ms  21.0ms          10.0     1
notes      42.0ms  42.0ms  42.0ms          10.0     1  peer 21.0ms  2.00x  <= 1.00x: MISSED
release    n/a: release command not available yet
"
        );
        let json = to_json(&rows);
        assert!(json.contains("\"median_s\":0.042000"), "{json}");
        assert!(json.contains("\"met\":null"), "{json}");
        assert!(json.contains("\"ratio\":2.0000"), "{json}");
        assert!(json.contains("\"floor\":\"peer 21.0ms\""), "{json}");
    }
}
