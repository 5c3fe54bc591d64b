//! `ccsim run --log FILE --log-intervals FILE`: one replication told
//! contact by contact (the contact log) and interval by interval (the
//! interval report), in ccsim's own history formats (docs/history.md).
//!
//! The replication is simulated once more, alone, with the same random
//! numbers as in the run (`montecarlo::run_replication`), beside the run's
//! counters, so that the log's totals are exactly its figures. The contact
//! log is streamed to a temporary file (memory flat); both files are put in
//! place only after the run's other outputs are written, and nothing is
//! left behind on an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{NaiveDateTime, TimeDelta};

use ccsim::history::{
    Aggregator, Contact, ContactLogWriter, IntervalHistory, Outcome, write_intervals,
};
use ccsim::model::{Channel, Model};
use ccsim::montecarlo::{self, RunOptions};
use ccsim::stats::{ContactEnd, Ended, Recorder};

use super::exit::Error;

/// What `--log`, `--log-intervals` and `--log-replication` ask for.
#[derive(Debug, Clone)]
pub(super) struct LogPlan {
    pub contacts: Option<PathBuf>,
    pub intervals: Option<PathBuf>,
    /// The replication, counted from 1 as users see them.
    pub replication: u32,
}

impl LogPlan {
    /// The plan of the flags, checked against the run's `replications`;
    /// `None` when no log is asked for.
    pub(super) fn from_flags(
        contacts: Option<&PathBuf>,
        intervals: Option<&PathBuf>,
        replication: Option<u32>,
        replications: u32,
    ) -> Result<Option<LogPlan>, Error> {
        if contacts.is_none() && intervals.is_none() {
            if let Some(k) = replication {
                return Err(Error::Invalid(format!(
                    "--log-replication {k}: it chooses the replication of --log or --log-intervals; add one of them"
                )));
            }
            return Ok(None);
        }
        let k = replication.unwrap_or(1);
        if k == 0 || k > replications {
            return Err(Error::Invalid(format!(
                "--log-replication {k}: replications are counted from 1; this run has {replications} (-r), so use 1 to {replications}"
            )));
        }
        if let (Some(a), Some(b)) = (contacts, intervals)
            && a == b
        {
            return Err(Error::Invalid(format!(
                "--log and --log-intervals both name {}: give them different files",
                a.display()
            )));
        }
        Ok(Some(LogPlan {
            contacts: contacts.cloned(),
            intervals: intervals.cloned(),
            replication: k,
        }))
    }
}

/// The logs of a replication, written to temporary files or memory,
/// waiting to be put in place by [`Pending::commit`].
pub(super) struct Pending {
    contacts: Option<(PathBuf, ContactLogWriter)>,
    intervals: Option<(PathBuf, IntervalHistory)>,
    replication: u32,
}

impl Pending {
    /// Puts the logs in place; says what was written unless `quiet`.
    pub(super) fn commit(self, quiet: bool) -> Result<(), Error> {
        let k = self.replication;
        if let Some((path, writer)) = self.contacts {
            let rows = writer.finish().map_err(|e| cannot_write(&path, &e))?;
            if !quiet {
                eprintln!(
                    "contact log of replication {k}: {rows} contacts in {}",
                    path.display()
                );
            }
        }
        if let Some((path, history)) = self.intervals {
            write_intervals(&path, &history).map_err(|e| cannot_write(&path, &e))?;
            if !quiet {
                eprintln!(
                    "interval report of replication {k}: {} rows in {}",
                    history.rows.len(),
                    path.display()
                );
            }
        }
        Ok(())
    }
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Error {
    Error::Failed(format!("cannot write {}: {e}", path.display()))
}

/// Simulates replication `plan.replication` of `model` again with the logs
/// attached; `None` (with a note) when the run was stopped before.
pub(super) fn simulate(
    model: &Model,
    options: RunOptions,
    plan: &LogPlan,
    stop: &AtomicBool,
) -> Result<Option<Pending>, Error> {
    if stop.load(Ordering::SeqCst) {
        eprintln!("stopped: the contact log and the interval report are not written");
        return Ok(None);
    }
    let writer = match &plan.contacts {
        Some(path) => Some(ContactLogWriter::create(path).map_err(|e| cannot_write(path, &e))?),
        None => None,
    };
    let mut log = ContactLog::new(model, writer, plan.intervals.is_some());
    montecarlo::run_replication(model, options, plan.replication - 1, &mut log)
        .map_err(|e| Error::Failed(e.to_string()))?;
    if let Some(e) = log.error.take() {
        let path = plan.contacts.as_deref().unwrap_or(Path::new("-"));
        return Err(cannot_write(path, &e));
    }
    let (writer, history) = log.finish();
    Ok(Some(Pending {
        contacts: plan.contacts.clone().zip(writer),
        intervals: plan.intervals.clone().zip(history),
        replication: plan.replication,
    }))
}

/// The service-level thresholds of the interval report, per channel:
/// calls, chats and visits have one in seconds; e-mail's promise is in
/// working days (`sla_working_days`), so it has none.
pub(super) fn thresholds(model: &Model) -> [Option<u32>; Channel::COUNT] {
    Channel::ALL.map(|c| {
        (c != Channel::Email).then(|| model.channel(c).service_level_threshold.round() as u32)
    })
}

/// A recorder that turns the engine's contact ends into contact-log rows
/// and interval-report rows, and keeps the pools' agent time.
pub(super) struct ContactLog<'m> {
    model: &'m Model,
    /// Midnight of the horizon's first day.
    midnight: NaiveDateTime,
    /// The row being written (reused: no allocation per contact).
    row: Contact,
    /// A spare buffer for the pool name of answered contacts.
    pool: String,
    writer: Option<ContactLogWriter>,
    intervals: Option<Aggregator>,
    /// Agent-seconds present per pool and interval (pool-major), for `agents`.
    present: Vec<f64>,
    /// The first error writing the log (the rest of the rows are skipped).
    error: Option<std::io::Error>,
}

impl<'m> ContactLog<'m> {
    /// A recorder that writes to `writer` and counts intervals when `intervals`.
    pub(super) fn new(
        model: &'m Model,
        writer: Option<ContactLogWriter>,
        intervals: bool,
    ) -> ContactLog<'m> {
        let calendar = &model.calendar;
        ContactLog {
            model,
            midnight: calendar.start.and_time(chrono::NaiveTime::MIN),
            row: Contact {
                contact: 0,
                caller: None,
                line: String::new(),
                theme: String::new(),
                channel: Channel::Call,
                arrival: calendar.start.and_time(chrono::NaiveTime::MIN),
                outcome: Outcome::Answered,
                wait: 0.0,
                handle: None,
                pool: None,
            },
            pool: String::new(),
            writer,
            intervals: intervals
                .then(|| Aggregator::new(calendar.interval.round() as u32, thresholds(model))),
            present: if intervals {
                vec![0.0; model.pools.len() * calendar.intervals()]
            } else {
                Vec::new()
            },
            error: None,
        }
    }

    /// The contact log's writer (not yet in place) and the interval report:
    /// every interval in which a theme's line is open has a row, with the
    /// agents available in the pools that serve it.
    pub(super) fn finish(mut self) -> (Option<ContactLogWriter>, Option<IntervalHistory>) {
        let model = self.model;
        let calendar = &model.calendar;
        let Some(mut aggregator) = self.intervals.take() else {
            return (self.writer, None);
        };
        let length = calendar.interval;
        let per_day = calendar.intervals_per_day as usize;
        for stream in &model.streams {
            let theme = &model.themes[stream.theme].name;
            for day in 0..calendar.days {
                // E-mail arrives around the clock, weekends and holidays
                // included: its report has every interval of every day, so
                // that a reader sees no gaps in it.
                let window = if stream.channel.is_live() {
                    model.line_window(stream.line, day)
                } else {
                    Some((0.0, ccsim::model::calendar::DAY))
                };
                let Some((open, close)) = window else {
                    continue;
                };
                let first = (open / length).floor() as usize;
                let last = ((close / length).ceil() as usize).min(calendar.intervals());
                let date = calendar.date(day);
                for i in first..last {
                    let start = ((i % per_day) as f64 * length).round() as u32;
                    aggregator.open(date, start, theme, stream.channel);
                }
            }
        }
        let themes: HashMap<&str, usize> = model
            .themes
            .iter()
            .enumerate()
            .map(|(t, theme)| (theme.name.as_str(), t))
            .collect();
        // The pools that serve each stream.
        let serving: Vec<Vec<usize>> = (0..model.streams.len())
            .map(|s| {
                (0..model.pools.len())
                    .filter(|&p| model.pools[p].skills.iter().any(|k| k.stream == s))
                    .collect()
            })
            .collect();
        let intervals = calendar.intervals();
        let present = &self.present;
        let history = aggregator.finish_with_agents(|date, start, theme, channel| {
            let s = model.stream_of(*themes.get(theme)?, channel)?;
            let day = calendar.day_of(date)? as usize;
            let i = day * per_day + (f64::from(start) / length).round() as usize;
            (i < intervals).then(|| {
                serving[s]
                    .iter()
                    .map(|&p| present[p * intervals + i])
                    .sum::<f64>()
                    / length
            })
        });
        (self.writer, Some(history))
    }
}

impl Recorder for ContactLog<'_> {
    fn offered(&mut self, _stream: usize, _interval: usize) {}
    fn answered(&mut self, _: usize, _: usize, _: f64, _: f64, _: bool) {}
    fn abandoned(&mut self, _stream: usize, _interval: usize, _wait: f64) {}
    fn blocked(&mut self, _stream: usize, _interval: usize) {}
    fn closed_out(&mut self, _stream: usize, _interval: usize, _wait: f64) {}
    fn left_waiting(&mut self, _stream: usize, _interval: usize, _deadline_passed: bool) {}
    fn backlog(&mut self, _stream: usize, _day: usize, _waiting: usize) {}

    fn pool_time(&mut self, pool: usize, interval: usize, _busy: f64, present: f64) {
        if self.intervals.is_some() {
            let intervals = self.model.calendar.intervals();
            if interval < intervals {
                self.present[pool * intervals + interval] += present;
            }
        }
    }

    fn contact(&mut self, ended: &ContactEnd) {
        let model = self.model;
        let stream = &model.streams[ended.stream];
        let row = &mut self.row;
        row.contact = ended.contact;
        row.caller = Some(ended.caller);
        row.line.clear();
        row.line.push_str(&model.lines[stream.line].name);
        row.theme.clear();
        row.theme.push_str(&model.themes[stream.theme].name);
        row.channel = stream.channel;
        // Rounded down to the millisecond, so that a contact stays in the
        // interval the engine counted it in.
        let ms = (ended.arrival * 1000.0).floor() as i64;
        row.arrival = self.midnight + TimeDelta::milliseconds(ms);
        row.outcome = match ended.outcome {
            Ended::Answered => Outcome::Answered,
            Ended::Abandoned => Outcome::Abandoned,
            Ended::Blocked => Outcome::Blocked,
            Ended::ClosedOut => Outcome::ClosedOut,
            Ended::SentAway => Outcome::SentAway,
            Ended::Callback => Outcome::Callback,
            Ended::Waiting => Outcome::Waiting,
        };
        row.wait = ended.wait;
        row.handle = ended.handle;
        match ended.pool {
            Some(p) => {
                let mut name = row
                    .pool
                    .take()
                    .unwrap_or_else(|| std::mem::take(&mut self.pool));
                name.clear();
                name.push_str(&model.pools[p].name);
                row.pool = Some(name);
            }
            None => {
                if let Some(name) = row.pool.take() {
                    self.pool = name;
                }
            }
        }
        if let Some(a) = &mut self.intervals {
            a.add(row);
        }
        if self.error.is_none()
            && let Some(w) = &mut self.writer
            && let Err(e) = w.write(row)
        {
            self.error = Some(e);
        }
    }
}
