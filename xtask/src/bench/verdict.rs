//! What a row should achieve, and whether it did (pure): a limit, or a
//! ratio to a floor measured in the same run (another row's median, or a
//! file's size for peak memory).

use std::time::Duration;

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

/// What a row should achieve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    None,
    /// A median at most this long.
    AtMost(Duration),
    /// A median at most this percentage of the named row's (its floor).
    RatioOf(&'static str, u32),
    /// What the row adds over the `base` row (the same command on the same
    /// input without what is scaled up) at most `percent` of the `floor`
    /// row's median: 100,000 tags may cost three times what git spends
    /// listing them.
    AddedOver {
        base: &'static str,
        floor: &'static str,
        percent: u32,
    },
    /// A peak resident memory at most `percent` of `bytes`, the size of
    /// `what` (the largest file the command edits).
    RssOf {
        what: &'static str,
        bytes: u64,
        percent: u32,
    },
}

/// A row's target as the table shows it: the floor it is compared with,
/// the ratio measured, the goal, and whether it is met (`None`: cannot tell).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Verdict {
    pub floor: String,
    pub ratio: Option<f64>,
    /// The ratio as shown, with what it is made of when that is not plain.
    pub ratio_text: String,
    pub goal: String,
    pub met: Option<bool>,
}

fn goal(percent: u32) -> String {
    format!("<= {:.2}x", f64::from(percent) / 100.0)
}

/// A measured row as its verdict sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measured {
    pub median: Option<Duration>,
    pub peak_kib: Option<u64>,
}

/// The verdict of a row measured as `mine` against `target`; `median`
/// gives the median of another row of the same run (a floor).
pub fn verdict(
    target: Target,
    mine: Measured,
    median: impl Fn(&str) -> Option<Duration>,
) -> Verdict {
    let (peak_kib, mine) = (mine.peak_kib, mine.median);
    let ratio_to = |part: Option<f64>, floor: Option<f64>, percent: u32| {
        let ratio = part.zip(floor.filter(|f| *f > 0.0)).map(|(p, f)| p / f);
        let met = ratio.map(|r| r <= f64::from(percent) / 100.0 + 1e-9);
        (ratio, met)
    };
    match target {
        Target::None => Verdict::default(),
        Target::AtMost(d) => Verdict {
            floor: "-".into(),
            goal: format!("<= {}", time(d)),
            met: mine.map(|m| m <= d),
            ..Verdict::default()
        },
        Target::RatioOf(name, percent) => {
            let floor = median(name);
            let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
            let (ratio, met) = ratio_to(secs(mine), secs(floor), percent);
            Verdict {
                floor: format!("{name} {}", floor.map_or("not measured".into(), time)),
                ratio,
                ratio_text: ratio.map_or("-".into(), |r| format!("{r:.2}x")),
                goal: goal(percent),
                met,
            }
        }
        Target::AddedOver {
            base,
            floor,
            percent,
        } => {
            let added = mine
                .zip(median(base))
                .map(|(m, b)| m.as_secs_f64() - b.as_secs_f64());
            let floor_time = median(floor);
            let (ratio, met) = ratio_to(added, floor_time.map(|f| f.as_secs_f64()), percent);
            let added_text = added.map_or("-".into(), |a| {
                let sign = if a < 0.0 { "-" } else { "+" };
                format!("{sign}{}", time(Duration::from_secs_f64(a.abs())))
            });
            Verdict {
                floor: format!("{floor} {}", floor_time.map_or("not measured".into(), time)),
                ratio,
                ratio_text: match ratio {
                    Some(r) => format!("{r:.2}x ({added_text} over {base})"),
                    None => "-".into(),
                },
                goal: goal(percent),
                met,
            }
        }
        Target::RssOf {
            what,
            bytes,
            percent,
        } => {
            let peak = peak_kib.map(|kib| kib as f64 * 1024.0);
            let (ratio, met) = ratio_to(peak, Some(bytes as f64), percent);
            Verdict {
                floor: format!("{what} {:.1} MiB", bytes as f64 / (1024.0 * 1024.0)),
                ratio,
                ratio_text: ratio.map_or("-".into(), |r| format!("{r:.2}x peak RSS")),
                goal: goal(percent),
                met,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    type Row = (&'static str, Target, Measured);

    fn measured(name: &'static str, target: Target, median: u64, kib: u64) -> Row {
        let mine = Measured {
            median: Some(ms(median)),
            peak_kib: Some(kib),
        };
        (name, target, mine)
    }

    fn verdicts(rows: &[Row]) -> Vec<Verdict> {
        let median = |name: &str| rows.iter().find(|r| r.0 == name)?.2.median;
        rows.iter().map(|r| verdict(r.1, r.2, median)).collect()
    }

    fn shown(v: &Verdict) -> (String, String, String, Option<bool>) {
        (v.floor.clone(), v.ratio_text.clone(), v.goal.clone(), v.met)
    }

    fn s(text: &str) -> String {
        text.to_string()
    }

    #[test]
    fn limits_ratios_added_time_and_memory_against_their_floors() {
        let mib = 1024;
        let rows = vec![
            measured("fast", Target::AtMost(ms(150)), 100, mib),
            measured("peer", Target::None, 300, mib),
            measured("ours", Target::RatioOf("peer", 50), 160, mib),
            measured("notes", Target::RatioOf("peer", 100), 303, mib),
            measured("alone", Target::RatioOf("absent", 55), 1, mib),
            measured("git", Target::None, 150, mib),
            measured("check-0", Target::None, 100, mib),
            measured(
                "check",
                Target::AddedOver {
                    base: "check-0",
                    floor: "git",
                    percent: 300,
                },
                400,
                mib,
            ),
            measured(
                "big",
                Target::RssOf {
                    what: "CHANGELOG.md",
                    bytes: 50 * 1024 * 1024,
                    percent: 200,
                },
                9000,
                110 * mib,
            ),
        ];
        let got: Vec<_> = verdicts(&rows).iter().map(shown).collect();
        assert_eq!(
            got,
            [
                (s("-"), s(""), s("<= 150ms"), Some(true)),
                (s(""), s(""), s(""), None),
                (s("peer 300ms"), s("0.53x"), s("<= 0.50x"), Some(false)),
                (s("peer 300ms"), s("1.01x"), s("<= 1.00x"), Some(false)),
                (s("absent not measured"), s("-"), s("<= 0.55x"), None),
                (s(""), s(""), s(""), None),
                (s(""), s(""), s(""), None),
                (
                    s("git 150ms"),
                    s("2.00x (+300ms over check-0)"),
                    s("<= 3.00x"),
                    Some(true)
                ),
                (
                    s("CHANGELOG.md 50.0 MiB"),
                    s("2.20x peak RSS"),
                    s("<= 2.00x"),
                    Some(false)
                ),
            ]
        );
    }

    #[test]
    fn a_ratio_exactly_at_its_goal_is_met() {
        let rows = vec![
            measured("peer", Target::None, 300, 1),
            measured("same", Target::RatioOf("peer", 100), 300, 1),
        ];
        assert_eq!(verdicts(&rows)[1].met, Some(true));
        assert_eq!(verdicts(&rows)[1].ratio, Some(1.0));
    }
}
