//! Medians, targets and the printed table (pure).

use std::time::Duration;

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

/// What a row should achieve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    None,
    /// A median at most this long.
    AtMost(Duration),
    /// A median at most half the named row's.
    HalfOf(&'static str),
    /// A median at most this percentage of the named row's; the ratio
    /// measured is shown with it.
    RatioOf(&'static str, u32),
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
    fn median(&self) -> Option<Duration> {
        match &self.outcome {
            Outcome::Measured { summary, .. } => Some(summary.median),
            _ => None,
        }
    }
}

/// `12ms`, `1.23s`: milliseconds with one decimal under 100 ms.
pub fn time(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 100.0 {
        format!("{ms:.1}ms")
    } else if ms < 1000.0 {
        format!("{ms:.0}ms")
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// The target as text and whether it is met (`None`: cannot tell).
pub fn verdict(row: &Row, rows: &[Row]) -> (String, Option<bool>) {
    let other = |name: &str| rows.iter().find(|r| r.name == name).and_then(Row::median);
    let mine = row.median();
    let (text, limit) = match row.target {
        Target::None => return (String::new(), None),
        Target::AtMost(d) => (format!("<= {}", time(d)), Some(d)),
        Target::HalfOf(name) => match other(name) {
            Some(d) => (format!("<= 1/2 {name} ({})", time(d / 2)), Some(d / 2)),
            None => (format!("<= 1/2 {name} (not measured)"), None),
        },
        Target::RatioOf(name, percent) => {
            let goal = format!("<= {:.2}x {name}", f64::from(percent) / 100.0);
            match (other(name), mine) {
                (Some(d), Some(m)) if !d.is_zero() => {
                    let ratio = m.as_secs_f64() / d.as_secs_f64();
                    (
                        format!("{ratio:.2}x {name}, goal {goal}"),
                        Some(d * percent / 100),
                    )
                }
                _ => (format!("{goal} (not measured)"), None),
            }
        }
    };
    let met = mine.zip(limit).map(|(m, l)| m <= l);
    (text, met)
}

/// The table, with a header; unavailable and failed rows say why.
pub fn table(rows: &[Row]) -> String {
    let header = [
        "benchmark",
        "median",
        "min",
        "max",
        "peak RSS MiB",
        "runs",
        "target",
    ]
    .map(String::from)
    .to_vec();
    let mut lines: Vec<Vec<String>> = vec![header];
    for row in rows {
        let (target, met) = verdict(row, rows);
        let target = match met {
            Some(true) => format!("{target}: met"),
            Some(false) => format!("{target}: MISSED"),
            None => target,
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
                target,
            ],
            Outcome::NotAvailable(why) => vec![row.name.to_string(), format!("n/a: {why}")],
            Outcome::Failed(why) => vec![row.name.to_string(), format!("FAILED: {why}")],
        };
        lines.push(cells);
    }
    // Widths come from complete rows only: a note spans the rest of its line.
    const COLUMNS: usize = 7;
    let mut widths = [0usize; COLUMNS];
    for line in lines.iter().filter(|l| l.len() == COLUMNS) {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| match i {
                0 => format!("{c:<w$}", w = widths[0]),
                _ if line.len() < COLUMNS => c.clone(),
                6 => c.clone(),
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
        let (target, met) = verdict(row, rows);
        let met = met.map_or("null".into(), |m| m.to_string());
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
        pairs.push(("target", json::string(&target)));
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
    fn targets_compare_against_limits_and_other_rows() {
        let rows = vec![
            measured("fast", Target::AtMost(ms(150)), 100),
            measured("peer", Target::None, 300),
            measured("ours", Target::HalfOf("peer"), 160),
            measured("build", Target::RatioOf("peer", 55), 249),
            measured("notes", Target::RatioOf("peer", 100), 303),
            measured("alone", Target::RatioOf("absent", 55), 1),
        ];
        let got: Vec<(String, Option<bool>)> = rows.iter().map(|r| verdict(r, &rows)).collect();
        assert_eq!(
            got,
            [
                ("<= 150ms".to_string(), Some(true)),
                (String::new(), None),
                ("<= 1/2 peer (150ms)".to_string(), Some(false)),
                ("0.83x peer, goal <= 0.55x peer".to_string(), Some(false)),
                ("1.01x peer, goal <= 1.00x peer".to_string(), Some(false)),
                ("<= 0.55x absent (not measured)".to_string(), None),
            ]
        );
    }

    #[test]
    fn the_table_aligns_measured_rows_and_spells_out_the_others() {
        let rows = vec![
            measured("versions", Target::AtMost(ms(150)), 42),
            Row {
                name: "release",
                target: Target::AtMost(ms(300)),
                outcome: Outcome::NotAvailable("release command not available yet".into()),
            },
        ];
        assert_eq!(
            table(&rows),
            "\
benchmark  median     min     max  peak RSS MiB  runs  target
versions   42.0ms  42.0ms  42.0ms          10.0     1  <= 150ms: met
release    n/a: release command not available yet
"
        );
        let json = to_json(&rows);
        assert!(json.contains("\"median_s\":0.042000"), "{json}");
        assert!(json.contains("\"met\":null"), "{json}");
    }
}
