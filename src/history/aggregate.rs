//! From contacts to an interval report, counted as an ACD's interval report
//! counts them: each contact in the interval of its arrival, whatever became
//! of it later.

use std::collections::HashMap;

use chrono::{NaiveDate, Timelike};

use crate::model::Channel;

use super::{Contact, IntervalHistory, IntervalRow, Outcome};

/// What one interval of one theme on one channel has gathered so far.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    offered: u64,
    answered: u64,
    abandoned: u64,
    answered_within: u64,
    handle_sum: f64,
    answered_wait_sum: f64,
    abandon_wait_sum: f64,
}

/// Where a cell is: date, interval start (seconds since midnight), theme
/// (its number in order of first sight), channel index.
type Key = (NaiveDate, u32, u32, u8);

/// Turns contacts into interval rows (contacts → [`IntervalHistory`]), as an
/// ACD's interval report counts them:
/// - `offered`: every attempt arriving in the interval, whatever its outcome;
/// - `answered`, `abandoned`: those of them answered, abandoned;
/// - `answered_within`: answered after waiting at most the channel's
///   service-level threshold (only for channels with a threshold);
/// - `handle_time`, `asa`: mean handle time and mean wait of the answered;
/// - `abandon_wait`: mean wait of the abandoned.
///
/// Memory: one cell per date × interval × theme × channel seen, not per contact.
#[derive(Debug, Clone)]
pub struct Aggregator {
    interval: u32,
    thresholds: [Option<u32>; Channel::COUNT],
    themes: Vec<String>,
    cells: HashMap<Key, Cell>,
}

impl Aggregator {
    /// An empty report of intervals of `interval` seconds (dividing a day);
    /// `thresholds[channel.index()]` is the service-level threshold of
    /// `answered_within` on that channel, in seconds (`None`: not counted).
    pub fn new(interval: u32, thresholds: [Option<u32>; Channel::COUNT]) -> Aggregator {
        Aggregator {
            interval: interval.max(1),
            thresholds,
            themes: Vec::new(),
            cells: HashMap::new(),
        }
    }

    /// The number of `theme`, given one at first sight.
    fn theme(&mut self, theme: &str) -> u32 {
        match self.themes.iter().position(|t| t == theme) {
            Some(i) => i as u32,
            None => {
                self.themes.push(theme.to_string());
                (self.themes.len() - 1) as u32
            }
        }
    }

    /// The cell of `theme` on `channel` in the interval starting at `start`
    /// (seconds since midnight, rounded down to an interval) of `date`.
    fn cell(&mut self, date: NaiveDate, start: u32, theme: &str, channel: Channel) -> &mut Cell {
        let start = start / self.interval * self.interval;
        let theme = self.theme(theme);
        self.cells
            .entry((date, start, theme, channel.index() as u8))
            .or_default()
    }

    /// Counts `contact` in the interval of its arrival.
    pub fn add(&mut self, contact: &Contact) {
        let date = contact.arrival.date();
        let start = contact.arrival.time().num_seconds_from_midnight();
        let threshold = self.thresholds[contact.channel.index()];
        let cell = self.cell(date, start, &contact.theme, contact.channel);
        cell.offered += 1;
        match contact.outcome {
            Outcome::Answered => {
                cell.answered += 1;
                cell.answered_wait_sum += contact.wait;
                cell.handle_sum += contact.handle.unwrap_or(0.0);
                if threshold.is_some_and(|t| contact.wait <= f64::from(t)) {
                    cell.answered_within += 1;
                }
            }
            Outcome::Abandoned => {
                cell.abandoned += 1;
                cell.abandon_wait_sum += contact.wait;
            }
            _ => {}
        }
    }

    /// Makes sure the interval starting at `start` (seconds since midnight)
    /// of `date` has a row for `theme` on `channel`, with zeros if nothing
    /// comes: a report lists every interval its queue is open.
    pub fn open(&mut self, date: NaiveDate, start: u32, theme: &str, channel: Channel) {
        self.cell(date, start, theme, channel);
    }

    /// The rows, sorted by date, start, theme and channel, with no agents.
    pub fn finish(self) -> IntervalHistory {
        self.finish_with_agents(|_, _, _, _| None)
    }

    /// The rows, sorted by date, start, theme and channel, with `agents`
    /// from `agents(date, start, theme, channel)`.
    pub fn finish_with_agents(
        self,
        mut agents: impl FnMut(NaiveDate, u32, &str, Channel) -> Option<f64>,
    ) -> IntervalHistory {
        let mean = |sum: f64, n: u64| (n > 0).then(|| sum / n as f64);
        let mut rows: Vec<IntervalRow> = self
            .cells
            .iter()
            .map(|(&(date, start, theme, channel), cell)| {
                let theme = &self.themes[theme as usize];
                let channel = Channel::ALL[channel as usize];
                IntervalRow {
                    date,
                    start,
                    theme: theme.clone(),
                    channel,
                    offered: cell.offered,
                    answered: cell.answered,
                    abandoned: cell.abandoned,
                    answered_within: self.thresholds[channel.index()].map(|_| cell.answered_within),
                    handle_time: mean(cell.handle_sum, cell.answered),
                    asa: mean(cell.answered_wait_sum, cell.answered),
                    abandon_wait: mean(cell.abandon_wait_sum, cell.abandoned),
                    agents: agents(date, start, theme, channel),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.date, a.start, &a.theme, a.channel.index()).cmp(&(
                b.date,
                b.start,
                &b.theme,
                b.channel.index(),
            ))
        });
        IntervalHistory {
            interval: self.interval,
            thresholds: self.thresholds,
            rows,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;

    fn contact(at: &str, theme: &str, channel: Channel, outcome: Outcome, wait: f64) -> Contact {
        Contact {
            contact: 1,
            caller: None,
            line: "1700".into(),
            theme: theme.into(),
            channel,
            arrival: NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").unwrap(),
            outcome,
            wait,
            handle: (outcome == Outcome::Answered).then_some(300.0 + wait),
            pool: None,
        }
    }

    #[test]
    fn counts_each_contact_in_the_interval_of_its_arrival() {
        let mut a = Aggregator::new(900, [Some(20), Some(60), None, None]);
        let day = NaiveDate::from_ymd_opt(2023, 3, 6).unwrap();
        a.open(day, 9 * 3600, "taxes", Channel::Call);
        a.open(day, 9 * 3600 + 900, "taxes", Channel::Call);
        a.add(&contact(
            "2023-03-06T09:14:59",
            "taxes",
            Channel::Call,
            Outcome::Answered,
            10.0,
        ));
        a.add(&contact(
            "2023-03-06T09:00:00",
            "taxes",
            Channel::Call,
            Outcome::Answered,
            30.0,
        ));
        a.add(&contact(
            "2023-03-06T09:05:00",
            "taxes",
            Channel::Call,
            Outcome::Abandoned,
            50.0,
        ));
        a.add(&contact(
            "2023-03-06T09:05:00",
            "taxes",
            Channel::Call,
            Outcome::Blocked,
            0.0,
        ));
        a.add(&contact(
            "2023-03-06T09:20:00",
            "auto",
            Channel::Email,
            Outcome::Answered,
            7200.0,
        ));
        let h = a.finish_with_agents(|_, start, _, _| Some(f64::from(start) / 3600.0));
        assert_eq!(h.interval, 900);
        let keys: Vec<_> = h
            .rows
            .iter()
            .map(|r| (r.start, r.theme.as_str(), r.channel))
            .collect();
        assert_eq!(
            keys,
            vec![
                (9 * 3600, "taxes", Channel::Call),
                (9 * 3600 + 900, "auto", Channel::Email),
                (9 * 3600 + 900, "taxes", Channel::Call),
            ]
        );
        let r = &h.rows[0];
        assert_eq!((r.offered, r.answered, r.abandoned), (4, 2, 1));
        assert_eq!(r.answered_within, Some(1));
        assert_eq!(r.asa, Some(20.0));
        assert_eq!(r.handle_time, Some(320.0));
        assert_eq!(r.abandon_wait, Some(50.0));
        assert_eq!(r.agents, Some(9.0));
        // An open interval with nothing in it is a row of zeros.
        let empty = &h.rows[2];
        assert_eq!((empty.offered, empty.answered, empty.abandoned), (0, 0, 0));
        assert_eq!(empty.answered_within, Some(0));
        assert_eq!(
            (empty.asa, empty.handle_time, empty.abandon_wait),
            (None, None, None)
        );
        // No threshold on e-mail: nothing counted within it.
        assert_eq!(h.rows[1].answered_within, None);
        assert_eq!(h.rows[1].asa, Some(7200.0));
    }
}
