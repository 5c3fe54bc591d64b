//! The figures of days and intervals of a run, kept as the replications'
//! values and summarised (mean, CI, quantiles) only when they are read.
//!
//! A long horizon has millions of them (13.1 million for a century of the
//! quickstart's half-hours): holding an [`Estimate`] (104 bytes), its key
//! and an index entry for each took 3 GB, while the replications' values
//! they come from take 8 bytes a figure and replication. Here each figure
//! costs the values, its layout entry (moved from the run, not copied) and
//! 8 bytes of order and bounds; `summary.json` and the CSV tables estimate
//! each figure as they write it, with the same bytes.

use rustc_hash::FxHashMap as HashMap;

use super::estimate::Estimate;
use super::metrics::{Entry, Level, Scope};

/// No count bounds this figure's interval.
const NO_TRIALS: u32 = u32::MAX;

/// The day and interval figures of a run, in the results' canonical order.
#[derive(Clone, PartialEq)]
pub(super) struct Deferred {
    /// The run's layout entries (the model's indices), all of them.
    layout: Vec<Entry>,
    /// `values[r * layout.len() + e]`: figure `e` in the `r`-th replication.
    values: Vec<f64>,
    /// Canonical position → layout index.
    source: Vec<u32>,
    /// Canonical position → layout index of the count whose trials bound
    /// the share's interval ([`Estimate::within`]), or [`NO_TRIALS`].
    trials: Vec<u32>,
    /// `source[day_start[d]..day_start[d + 1]]`: the figures of day `d`.
    day_start: Vec<u32>,
    /// The reported intervals (ascending) and where their figures start,
    /// after the days' (`interval_start[k]..interval_start[k + 1]`).
    interval_index: Vec<u32>,
    interval_start: Vec<u32>,
    /// The results' own numbers of the model's themes, lines and pools.
    themes: Vec<usize>,
    lines: Vec<usize>,
    pools: Vec<usize>,
}

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Deferred({} figures)", self.source.len())
    }
}

/// Whether a layout entry is kept deferred ([`Entry::summarised_when_written`]).
pub(super) fn is_deferred(e: &Entry) -> bool {
    e.summarised_when_written()
}

/// What [`Deferred::new`] needs of the run.
pub(super) struct Source {
    /// The layout's entries.
    pub layout: Vec<Entry>,
    /// The replications' values, replication after replication.
    pub values: Vec<f64>,
    /// Days in the horizon.
    pub days: u32,
    /// The reported intervals, ascending.
    pub intervals: Vec<u32>,
}

impl Deferred {
    /// The deferred figures of a run, in the canonical order of
    /// `summary.json`: days in order, then intervals in order; within a
    /// period channels, themes, lines, pools and the total, each name and
    /// channel in order of first appearance, metrics in layout order.
    /// The scopes keep the model's numbers until [`Deferred::renumber`].
    pub fn new(s: Source) -> Deferred {
        let days = s.days as usize;
        let period_of = |e: &Entry| match e.level {
            Level::Day(d) => Some(d as usize),
            Level::Interval(i) => s.intervals.binary_search(&i).ok().map(|k| days + k),
            _ => None,
        };
        // Counting sort of the layout's deferred figures by period: days,
        // then intervals.
        let periods = days + s.intervals.len();
        let mut start = vec![0u32; periods + 1];
        // A figure without a period is left out; the caller keeps such
        // layouts summarised.
        for e in s.layout.iter().filter(|e| is_deferred(e)) {
            if let Some(k) = period_of(e) {
                start[k + 1] += 1;
            }
        }
        for k in 0..periods {
            start[k + 1] += start[k];
        }
        let mut next = start.clone();
        let mut source = vec![0u32; start[periods] as usize];
        for (i, e) in s.layout.iter().enumerate() {
            if let Some(k) = period_of(e).filter(|_| is_deferred(e)) {
                source[next[k] as usize] = i as u32;
                next[k] += 1;
            }
        }
        drop(next);
        let mut trials = vec![NO_TRIALS; source.len()];
        let mut counts: HashMap<Entry, u32> = HashMap::default();
        for k in 0..periods {
            let range = start[k] as usize..start[k + 1] as usize;
            canonical_within_period(&s.layout, &mut source[range.clone()]);
            // The last of equal keys, as the index of the results has it.
            counts.clear();
            for &i in &source[range.clone()] {
                counts.insert(s.layout[i as usize], i);
            }
            for at in range {
                let e = s.layout[source[at] as usize];
                if let Some(&i) = e
                    .metric
                    .trials()
                    .and_then(|metric| counts.get(&Entry { metric, ..e }))
                {
                    trials[at] = i;
                }
            }
        }
        let day_start = start[..=days].to_vec();
        let interval_start = start[days..].to_vec();
        Deferred {
            layout: s.layout,
            values: s.values,
            source,
            trials,
            day_start,
            interval_index: s.intervals,
            interval_start,
            themes: Vec::new(),
            lines: Vec::new(),
            pools: Vec::new(),
        }
    }

    /// Numbers the themes, lines and pools as the results do: `number`
    /// gives an entry with the model's numbers that entry with the
    /// results' numbers, and is asked once per name, in canonical order.
    pub fn renumber(&mut self, number: &mut dyn FnMut(Entry) -> Entry) {
        fn slot(map: &mut Vec<usize>, i: usize) -> &mut usize {
            if map.len() <= i {
                map.resize(i + 1, usize::MAX);
            }
            &mut map[i]
        }
        for at in 0..self.source.len() {
            let e = self.layout[self.source[at] as usize];
            let (map, i) = match e.scope {
                Scope::Theme(t, _) => (&mut self.themes, t),
                Scope::Line(l, _) => (&mut self.lines, l),
                Scope::Pool(p) => (&mut self.pools, p),
                Scope::Channel(_) | Scope::Total => continue,
            };
            let to = slot(map, i);
            if *to == usize::MAX {
                *to = match number(e).scope {
                    Scope::Theme(t, _) | Scope::Line(t, _) | Scope::Pool(t) => t,
                    Scope::Channel(_) | Scope::Total => i,
                };
            }
        }
    }

    /// How many figures are deferred.
    pub fn len(&self) -> usize {
        self.source.len()
    }

    /// The entry at canonical position `at`, with the results' numbers.
    pub fn entry(&self, at: usize) -> Entry {
        self.renumbered(self.layout[self.source[at] as usize])
    }

    /// The figure at canonical position `at`, summarised now.
    pub fn figure(&self, at: usize) -> (Entry, Estimate) {
        let e = self.layout[self.source[at] as usize];
        let trials = match self.trials[at] {
            NO_TRIALS => None,
            i => {
                let count = self.raw(i as usize);
                count.mean.map(|m| m * f64::from(count.n))
            }
        };
        let estimate = self
            .raw(self.source[at] as usize)
            .within(e.metric.bounds(), trials);
        (self.renumbered(e), estimate)
    }

    /// The figure of `entry` (the results' numbers), if deferred.
    pub fn find(&self, entry: &Entry) -> Option<Estimate> {
        let range = match entry.level {
            Level::Day(d) => {
                let d = d as usize;
                *self.day_start.get(d)? as usize..*self.day_start.get(d + 1)? as usize
            }
            Level::Interval(i) => {
                let k = self.interval_index.binary_search(&i).ok()?;
                self.interval_start[k] as usize..self.interval_start[k + 1] as usize
            }
            _ => return None,
        };
        range
            .rev()
            .find(|&at| self.entry(at) == *entry)
            .map(|at| self.figure(at).1)
    }

    /// Every deferred figure in order, summarised as it is reached.
    pub fn figures(&self) -> impl Iterator<Item = (Entry, Estimate)> + '_ {
        (0..self.len()).map(|at| self.figure(at))
    }

    /// Every deferred entry in order, without summarising.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        (0..self.len()).map(|at| self.entry(at))
    }

    /// The estimate of layout figure `i` from its values, before bounds.
    fn raw(&self, i: usize) -> Estimate {
        let n = self.layout.len().max(1);
        let column: Vec<f64> = self.values.iter().skip(i).step_by(n).copied().collect();
        Estimate::from_values(&column)
    }

    fn renumbered(&self, mut e: Entry) -> Entry {
        let number = |map: &[usize], i: usize| map.get(i).copied().unwrap_or(i);
        e.scope = match e.scope {
            Scope::Theme(t, c) => Scope::Theme(number(&self.themes, t), c),
            Scope::Line(l, c) => Scope::Line(number(&self.lines, l), c),
            Scope::Pool(p) => Scope::Pool(number(&self.pools, p)),
            other => other,
        };
        e
    }
}

/// The position of `key` in `list`, added at the end when new: its rank in
/// order of first appearance.
fn rank<K: PartialEq>(list: &mut Vec<K>, key: K) -> usize {
    match list.iter().position(|k| *k == key) {
        Some(r) => r,
        None => {
            list.push(key);
            list.len() - 1
        }
    }
}

/// Sorts one period's layout indices into canonical order: by scope kind
/// (channels, themes, lines, pools, total), then name and channel in order
/// of first appearance within the period, then layout order.
fn canonical_within_period(layout: &[Entry], period: &mut [u32]) {
    let mut names: Vec<(u8, usize)> = Vec::new();
    let mut channels: Vec<(u8, usize, crate::model::Channel)> = Vec::new();
    let mut keys: Vec<(u8, usize, usize, u32)> = period
        .iter()
        .map(|&i| {
            let (kind, name, channel) = match layout[i as usize].scope {
                Scope::Channel(c) => (0, c.index(), None),
                Scope::Theme(t, c) => (1, t, Some(c)),
                Scope::Line(l, c) => (2, l, Some(c)),
                Scope::Pool(p) => (3, p, None),
                Scope::Total => (4, 0, None),
            };
            let name_rank = rank(&mut names, (kind, name));
            let channel_rank = channel.map_or(0, |c| rank(&mut channels, (kind, name, c)));
            // Ranks count over all kinds; within a kind they keep the order
            // of first appearance, which is all the sort reads.
            (kind, name_rank, channel_rank, i)
        })
        .collect();
    keys.sort_unstable();
    for (slot, key) in period.iter_mut().zip(keys) {
        *slot = key.3;
    }
}
