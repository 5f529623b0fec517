//! Exact simulated time: integer milliseconds, never an accumulated float.
//!
//! [`SimTime`] is an instant measured from the start of the run; [`SimDuration`] is a span. Both
//! are newtypes over `u64` milliseconds, so adding a million service times gives exactly the same
//! clock on every machine. Durations are written with units in scenario files (`"20s"`, `"5min"`,
//! `"24h"`, `"7d"`, `"250ms"`) and parsed by [`SimDuration::from_str`].

use std::fmt;
use std::ops::{Add, AddAssign, Sub};
use std::str::FromStr;

/// Milliseconds in one second.
pub const MS_PER_SECOND: u64 = 1_000;
/// Milliseconds in one minute.
pub const MS_PER_MINUTE: u64 = 60 * MS_PER_SECOND;
/// Milliseconds in one hour.
pub const MS_PER_HOUR: u64 = 60 * MS_PER_MINUTE;
/// Milliseconds in one day.
pub const MS_PER_DAY: u64 = 24 * MS_PER_HOUR;
/// Milliseconds in one week.
pub const MS_PER_WEEK: u64 = 7 * MS_PER_DAY;

/// An instant of simulated time [ms since the start of the run]. Day 0 starts on a Monday at 00:00.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

/// A span of simulated time [ms]. Never negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(u64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0);

    /// An instant `ms` milliseconds after the start.
    pub const fn from_ms(ms: u64) -> Self {
        SimTime(ms)
    }

    /// Milliseconds since the start.
    pub const fn as_ms(self) -> u64 {
        self.0
    }

    /// The start of day `day` (day 0 is the first day of the run).
    pub const fn from_days(day: u64) -> Self {
        SimTime(day * MS_PER_DAY)
    }

    /// Whole days elapsed since the start (0 during the first day).
    pub const fn day(self) -> u64 {
        self.0 / MS_PER_DAY
    }

    /// Day of the week, 0 = Monday … 6 = Sunday (the run starts on a Monday).
    pub const fn weekday(self) -> usize {
        (self.day() % 7) as usize
    }

    /// Hour of the day, 0–23.
    pub const fn hour(self) -> usize {
        ((self.0 % MS_PER_DAY) / MS_PER_HOUR) as usize
    }

    /// Hour of the week, 0 (Monday 00:00–01:00) … 167 (Sunday 23:00–24:00).
    pub const fn hour_of_week(self) -> usize {
        ((self.0 % MS_PER_WEEK) / MS_PER_HOUR) as usize
    }

    /// The start of the next whole hour strictly after `self`.
    pub const fn next_hour(self) -> SimTime {
        SimTime((self.0 / MS_PER_HOUR + 1) * MS_PER_HOUR)
    }

    /// The time elapsed since `earlier`, or zero if `earlier` is later than `self`.
    pub const fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    /// Simulated hours since the start, for reporting.
    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / MS_PER_HOUR as f64
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of `ms` milliseconds.
    pub const fn from_ms(ms: u64) -> Self {
        SimDuration(ms)
    }

    /// A span of whole seconds.
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s * MS_PER_SECOND)
    }

    /// A span of whole minutes.
    pub const fn from_mins(m: u64) -> Self {
        SimDuration(m * MS_PER_MINUTE)
    }

    /// A span of whole hours.
    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h * MS_PER_HOUR)
    }

    /// A span of whole days.
    pub const fn from_days(d: u64) -> Self {
        SimDuration(d * MS_PER_DAY)
    }

    /// A span of `s` seconds rounded to the nearest millisecond; negative or NaN gives zero,
    /// values beyond `u64::MAX` ms saturate. Used to turn a sampled service time into clock time.
    pub fn from_secs_f64(s: f64) -> Self {
        if s.is_nan() || s <= 0.0 {
            return SimDuration::ZERO;
        }
        // `as` saturates for out-of-range floats.
        SimDuration((s * MS_PER_SECOND as f64).round() as u64)
    }

    /// Milliseconds in this span.
    pub const fn as_ms(self) -> u64 {
        self.0
    }

    /// This span in seconds.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MS_PER_SECOND as f64
    }

    /// This span in hours.
    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / MS_PER_HOUR as f64
    }

    /// This span in days.
    pub fn as_days_f64(self) -> f64 {
        self.0 as f64 / MS_PER_DAY as f64
    }

    /// True for a zero-length span.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    /// Saturating difference: never negative.
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.since(rhs)
    }
}

impl fmt::Display for SimDuration {
    /// The largest unit that divides the span exactly, e.g. `90min`, `2d`, `1500ms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        for (unit, size) in [
            ("d", MS_PER_DAY),
            ("h", MS_PER_HOUR),
            ("min", MS_PER_MINUTE),
            ("s", MS_PER_SECOND),
        ] {
            if ms != 0 && ms.is_multiple_of(size) {
                return write!(f, "{}{unit}", ms / size);
            }
        }
        write!(f, "{ms}ms")
    }
}

impl fmt::Display for SimTime {
    /// `day D hh:mm:ss.mmm`, day counted from 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let in_day = self.0 % MS_PER_DAY;
        write!(
            f,
            "day {} {:02}:{:02}:{:02}.{:03}",
            self.day(),
            in_day / MS_PER_HOUR,
            (in_day % MS_PER_HOUR) / MS_PER_MINUTE,
            (in_day % MS_PER_MINUTE) / MS_PER_SECOND,
            in_day % MS_PER_SECOND
        )
    }
}

/// Why a duration string was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}; write a number and a unit, e.g. \"250ms\", \"20s\", \"5min\", \"1.5h\", \"7d\"")]
pub struct ParseDurationError {
    /// What was wrong with the text.
    pub reason: String,
}

impl FromStr for SimDuration {
    type Err = ParseDurationError;

    /// Parses `<number><unit>` where unit is one of `ms`, `s`, `min`, `h`, `d` (spaces allowed
    /// between). The number may have a fraction; the result is rounded to whole milliseconds.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let t = text.trim();
        let split =
            t.find(|c: char| c.is_ascii_alphabetic())
                .ok_or_else(|| ParseDurationError {
                    reason: format!("\"{text}\" has no unit"),
                })?;
        let (num, unit) = t.split_at(split);
        let num = num.trim();
        let value: f64 = num.parse().map_err(|_| ParseDurationError {
            reason: format!("\"{num}\" in \"{text}\" is not a number"),
        })?;
        let scale = match unit.trim() {
            "ms" => 1,
            "s" => MS_PER_SECOND,
            "min" => MS_PER_MINUTE,
            "h" => MS_PER_HOUR,
            "d" => MS_PER_DAY,
            other => {
                return Err(ParseDurationError {
                    reason: format!(
                        "unknown unit \"{other}\" in \"{text}\" (allowed: ms, s, min, h, d)"
                    ),
                });
            }
        };
        if !value.is_finite() || value < 0.0 {
            return Err(ParseDurationError {
                reason: format!("\"{text}\" must be a finite, non-negative duration"),
            });
        }
        let ms = (value * scale as f64).round();
        if ms > 1e15 {
            return Err(ParseDurationError {
                reason: format!(
                    "\"{text}\" is longer than any simulation can run (over 30,000 years)"
                ),
            });
        }
        Ok(SimDuration(ms as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        let cases = [
            ("250ms", 250),
            ("20s", 20_000),
            ("5min", 300_000),
            ("1.5h", 5_400_000),
            ("24h", 86_400_000),
            ("7d", 604_800_000),
            (" 2 min ", 120_000),
            ("0s", 0),
            ("0.0004s", 0),
        ];
        for (text, ms) in cases {
            assert_eq!(
                text.parse::<SimDuration>().map(|d| d.as_ms()),
                Ok(ms),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_bad_text_with_reason() {
        for bad in ["20", "fast", "5 mins", "-3s", "NaNs", "infh", "1e20d", "s"] {
            let err = bad.parse::<SimDuration>().unwrap_err();
            assert!(err.to_string().contains("e.g. \"250ms\""), "{bad}: {err}");
        }
    }

    #[test]
    fn displays_in_largest_exact_unit() {
        assert_eq!(SimDuration::from_mins(90).to_string(), "90min");
        assert_eq!(SimDuration::from_days(2).to_string(), "2d");
        assert_eq!(SimDuration::from_ms(1500).to_string(), "1500ms");
        assert_eq!(SimDuration::ZERO.to_string(), "0ms");
        assert_eq!(
            (SimTime::from_days(3) + SimDuration::from_ms(3_723_004)).to_string(),
            "day 3 01:02:03.004"
        );
    }

    #[test]
    fn calendar_fields() {
        let t = SimTime::from_days(8) + SimDuration::from_hours(5) + SimDuration::from_mins(30);
        assert_eq!(t.day(), 8);
        assert_eq!(t.weekday(), 1); // day 8 is a Tuesday
        assert_eq!(t.hour(), 5);
        assert_eq!(t.hour_of_week(), 24 + 5);
        assert_eq!(
            t.next_hour(),
            SimTime::from_days(8) + SimDuration::from_hours(6)
        );
        assert_eq!(SimTime::from_ms(3_600_000).next_hour().as_ms(), 7_200_000);
    }

    #[test]
    fn float_conversion_rounds_and_clamps() {
        assert_eq!(SimDuration::from_secs_f64(1.2345).as_ms(), 1235);
        assert_eq!(SimDuration::from_secs_f64(-4.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
        assert_eq!(SimTime::from_ms(5) - SimTime::from_ms(9), SimDuration::ZERO);
    }
}
