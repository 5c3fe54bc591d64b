//! The offered load of one agent pool in one interval, as the Erlang A
//! approximation sees it: the one load model behind `ccsim staff`'s first
//! guess and `ccsim forecast`'s first estimate of the extra agents.
//!
//! Both take an interval of a time-varying day as a stationary M/M/n+M queue
//! (Erlang A, Palm's model: Garnett, Mandelbaum & Reiman, "Designing a call
//! center with impatient customers", *MSOM* 4(3), 2002; see [`crate::erlang`])
//! fed by every stream the pool serves. A queue of that model has one arrival
//! rate `λ`, one mean handle time `1/μ` and one patience rate `θ`; a pool
//! serves several streams (themes × channels), so the streams' figures are
//! averaged into those three, here and only here:
//!
//! - **Arrival rate** `λ = Σ λₖ`: the calls and chats (and visits) expected in
//!   the interval over its length, summed over the streams.
//! - **Work** `a = Σ λₖ·hₖ` in Erlang (agent-seconds per second), with `hₖ`
//!   the stream's mean handle time; a chat occupies `1/concurrency` of an
//!   agent, so its `hₖ` is divided by the chat concurrency. The mean handle
//!   time handed to Erlang A is `a/λ`, which keeps the offered Erlang exact.
//! - **Patience** `1/θ̄` with `θ̄ = Σ λₖ·θₖ / λ`, `θₖ = 1/(mean patience)` (0
//!   for a channel without patience): the arrival-weighted mean of the
//!   *abandonment rates*, i.e. the arrival-weighted **harmonic** mean of the
//!   mean patience.
//!
//! # Why the abandonment rates, not the patience, are averaged
//!
//! In Erlang A a waiting contact abandons at rate `θ`, so `q` waiting
//! contacts are lost at rate `q·θ`, and by Little's law the share that
//! abandons is `P(ab) = θ·E[W]` (Mandelbaum & Zeltyn, "Service engineering in
//! action: the Palm/Erlang-A queue", 2007; the identity [`crate::erlang`]
//! uses). Streams served first come first served by one pool wait alike, so
//! stream `k` loses `λₖ·θₖ·E[W]` contacts per second and the pool
//! `Σ λₖ·θₖ·E[W] = λ·θ̄·E[W]`: one queue with the arrival-weighted mean
//! *rate* `θ̄` abandons as often as the streams together. (This takes the mix
//! of the waiting contacts to be the mix of the arrivals, exact when waits
//! are short against the patience, the regime a staffing target asks for.)
//! Averaging the mean patience itself (`Σ λₖ/θₖ / λ`) gives, by the
//! inequality of the arithmetic and harmonic means, a longer patience than
//! that whenever the streams' patience differ: fewer abandonments, a higher
//! reachability for the same agents, and so too few agents where a target is
//! about reachability. It also breaks down where one stream never abandons:
//! its infinite patience makes the whole pool's patience infinite (Erlang C,
//! unstable in every overloaded interval), whereas its `θₖ = 0` here only
//! adds no abandonment.
//!
//! # E-mail
//!
//! E-mail never abandons and has no arrival in the Erlang A sense: it is
//! worked when no call or chat waits (blending). [`Email::Ignored`] leaves it
//! out (the load of the live contacts only, as the staffing search's first
//! guess takes it: its simulations then see the e-mail); with
//! [`Email::SpreadOverDuty`] the day's e-mail work is spread evenly over the
//! pool's intervals on duty that day and added to the work (not to the
//! arrivals), as the forecast takes it: the theme's e-mails are work the
//! same agents must do within the day.

use crate::erlang::{self, QueueFigures};
use crate::model::{Channel, Model};

/// The offered load of one pool in one interval, averaged over the streams it
/// serves as the module documentation says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalLoad {
    /// Arrivals of live contacts (calls, chats, visits) per second, `λ`.
    pub rate: f64,
    /// Agents' work offered, in Erlang (agent-seconds per second).
    pub work: f64,
    /// Mean patience in seconds, `1/θ̄` (infinite: nobody abandons).
    pub patience: f64,
}

/// Whether the pool's e-mail work counts in its load.
#[derive(Debug, Clone, Copy)]
pub enum Email<'a> {
    /// Only the live contacts.
    Ignored,
    /// The day's e-mail work spread evenly over the intervals of the day in
    /// which the pool is on duty (`true` per horizon interval).
    SpreadOverDuty(&'a [bool]),
}

impl IntervalLoad {
    /// No load at all.
    pub const NONE: IntervalLoad = IntervalLoad {
        rate: 0.0,
        work: 0.0,
        patience: f64::INFINITY,
    };

    /// The load of the streams pool `pool` of `model` serves, in horizon
    /// interval `i`.
    pub fn of_pool(model: &Model, pool: usize, i: usize, email: Email) -> IntervalLoad {
        let cal = &model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let day = i / per_day;
        let concurrency = f64::from(model.channel(Channel::Chat).concurrency.max(1));
        let (mut rate, mut work, mut abandon) = (0.0, 0.0, 0.0);
        // The pool's agents take the handle time ÷ their speed that day.
        let speed = model.pools[pool].speed_on(day);
        for skill in &model.pools[pool].skills {
            let stream = &model.streams[skill.stream];
            let handle = stream.handle_time.mean() / speed;
            if stream.channel.is_live() {
                let r = stream.expected[i] / cal.interval;
                let per_contact = handle
                    / if stream.channel == Channel::Chat {
                        concurrency
                    } else {
                        1.0
                    };
                let theta = model
                    .channel(stream.channel)
                    .patience
                    .as_ref()
                    .map_or(0.0, |p| 1.0 / p.mean().max(1e-9));
                rate += r;
                work += r * per_contact;
                abandon += r * theta;
            } else if let Email::SpreadOverDuty(on_duty) = email
                && on_duty[i]
            {
                let day_slots = &on_duty[day * per_day..(day + 1) * per_day];
                let duty_slots = day_slots.iter().filter(|&&x| x).count().max(1) as f64;
                let day_volume: f64 = stream.expected[day * per_day..(day + 1) * per_day]
                    .iter()
                    .sum();
                work += day_volume * handle / (duty_slots * cal.interval);
            }
        }
        IntervalLoad {
            rate,
            work,
            patience: if abandon > 0.0 {
                rate / abandon
            } else {
                f64::INFINITY
            },
        }
    }

    /// Mean agent-seconds per live contact, `a/λ` (the e-mail work, if
    /// counted, rides on the live contacts).
    pub fn handle_time(&self) -> f64 {
        (self.work / self.rate).max(1e-9)
    }

    /// Offered load in Erlang as Erlang A takes it, `λ·(a/λ)`.
    pub fn offered_erlangs(&self) -> f64 {
        self.rate * self.handle_time()
    }

    /// Erlang A figures with `agents` agents and a service-level threshold
    /// of `threshold` seconds; `None` without live contacts, without agents,
    /// or where nobody abandons and the agents cannot keep up (Erlang C is
    /// unstable).
    pub fn figures(&self, agents: u32, threshold: f64) -> Option<QueueFigures> {
        if self.rate <= 0.0 || agents == 0 {
            return None;
        }
        let load = erlang::Load {
            arrival_rate: self.rate,
            mean_handle_time: self.handle_time(),
            agents,
        };
        erlang::erlang_a_figures(load, self.patience, threshold).ok()
    }

    /// The fewest agents, at most `cap`, whose Erlang A figures (with a
    /// service-level threshold of `threshold` seconds) satisfy `ok`: 0
    /// without live contacts, `None` when even `cap` agents do not.
    pub fn fewest_agents(
        &self,
        threshold: f64,
        cap: u32,
        ok: impl Fn(&QueueFigures) -> bool,
    ) -> Option<u32> {
        if self.rate <= 0.0 {
            return Some(0);
        }
        erlang::agents_for_erlang_a(
            self.rate,
            self.handle_time(),
            self.patience,
            threshold,
            cap,
            ok,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One working day 09:00-17:00 (16 half hours, flat profile): 480 calls
    /// (4m, patience 3m), 160 chats (6m, two at once, patience 4m) and 80
    /// e-mails (6m), all served by one pool.
    const DAY: &str = r#"
[horizon]
start = 2021-03-01
days = 1
[lines.main]
hours = { mon-fri = "09:00-17:00" }
[channels.call]
patience = { dist = "exponential", mean = "3m" }
[channels.chat]
patience = { dist = "exponential", mean = "4m" }
concurrency = 2
[themes.t]
volume.call = { per_day = 480 }
volume.chat = { per_day = 160 }
volume.email = { per_day = 80 }
handle_time.call = { dist = "exponential", mean = "4m" }
handle_time.chat = { dist = "exponential", mean = "6m" }
handle_time.email = { dist = "exponential", mean = "6m" }
[pools.p]
agents = 10
skills = [{ themes = "t" }]
"#;

    fn model(text: &str) -> Model {
        crate::scenario::parse_str(text, "day.toml", None)
            .unwrap_or_else(|e| panic!("{e}"))
            .model
    }

    /// The first interval with calls (09:00).
    fn nine(model: &Model) -> usize {
        let calls = model
            .streams
            .iter()
            .find(|s| s.channel == Channel::Call)
            .unwrap();
        (0..model.calendar.intervals())
            .find(|&i| calls.expected[i] > 0.0)
            .unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn rates_work_and_patience_of_calls_and_chats_by_hand() {
        let m = model(DAY);
        let i = nine(&m);
        let load = IntervalLoad::of_pool(&m, 0, i, Email::Ignored);
        // 30 calls and 10 chats in 1800 s: 1/60 + 1/180 = 1/45 per second.
        assert!(close(load.rate, 1.0 / 45.0), "{load:?}");
        // Calls 1/60 × 240 s = 4 Erlang; chats 1/180 × 360 s / 2 = 1 Erlang.
        assert!(close(load.work, 5.0), "{load:?}");
        assert!(close(load.handle_time(), 225.0), "{load:?}");
        assert!(close(load.offered_erlangs(), 5.0), "{load:?}");
        // θ̄ = (1/60 · 1/180 + 1/180 · 1/240) · 45 = 1/192: a patience of
        // 192 s, not the 195 s of the rate-weighted mean patience (3 × 180 + 240) / 4.
        assert!(close(load.patience, 192.0), "{load:?}");
    }

    #[test]
    fn a_slower_pool_offers_more_work_for_the_same_contacts() {
        let m = model(&format!("{DAY}speed = 0.8\n"));
        let load = IntervalLoad::of_pool(&m, 0, nine(&m), Email::Ignored);
        // 5 Erlang at speed 1 take 5 / 0.8 at 0.8; the arrivals stay.
        assert!(close(load.work, 6.25), "{load:?}");
        assert!(close(load.rate, 1.0 / 45.0), "{load:?}");
    }

    #[test]
    fn e_mail_work_is_spread_over_the_hours_on_duty() {
        let m = model(DAY);
        let i = nine(&m);
        let on_duty: Vec<bool> = m.pools[0].available.iter().map(|&n| n > 0).collect();
        assert_eq!(on_duty.iter().filter(|&&x| x).count(), 16);
        let load = IntervalLoad::of_pool(&m, 0, i, Email::SpreadOverDuty(&on_duty));
        // 80 e-mails × 360 s over 16 × 1800 s on duty: 1 Erlang more work,
        // and no more arrivals nor abandonment.
        assert!(close(load.work, 6.0), "{load:?}");
        assert!(close(load.rate, 1.0 / 45.0), "{load:?}");
        assert!(close(load.patience, 192.0), "{load:?}");
        // Off duty, the e-mail adds nothing.
        let mut off = on_duty.clone();
        off[i] = false;
        let load = IntervalLoad::of_pool(&m, 0, i, Email::SpreadOverDuty(&off));
        assert!(close(load.work, 5.0), "{load:?}");
    }

    #[test]
    fn a_channel_without_patience_adds_no_abandonment() {
        let m = model(&DAY.replace("patience = { dist = \"exponential\", mean = \"4m\" }\n", ""));
        let load = IntervalLoad::of_pool(&m, 0, nine(&m), Email::Ignored);
        // θ̄ = (1/60 · 1/180 + 0) · 45 = 1/240, finite: the patient chats
        // dilute the calls' abandonment instead of making everyone patient.
        assert!(close(load.patience, 240.0), "{load:?}");
    }

    #[test]
    fn nobody_abandons_without_any_patience() {
        let text = DAY
            .replace("patience = { dist = \"exponential\", mean = \"3m\" }\n", "")
            .replace("patience = { dist = \"exponential\", mean = \"4m\" }\n", "");
        let m = model(&text);
        let load = IntervalLoad::of_pool(&m, 0, nine(&m), Email::Ignored);
        assert_eq!(load.patience, f64::INFINITY);
        // Erlang C: 5 Erlang cannot be served by 5 agents.
        assert!(load.figures(5, 20.0).is_none());
        assert!(load.figures(6, 20.0).is_some());
    }

    #[test]
    fn an_interval_without_contacts_needs_no_agents() {
        let m = model(DAY);
        let load = IntervalLoad::of_pool(&m, 0, 0, Email::Ignored);
        assert_eq!(load, IntervalLoad::NONE);
        assert_eq!(
            load.fewest_agents(20.0, 100, |f| f.reachability >= 0.9),
            Some(0)
        );
        assert!(load.figures(10, 20.0).is_none());
    }

    #[test]
    fn the_fewest_agents_meet_the_target_and_one_fewer_does_not() {
        let m = model(DAY);
        let load = IntervalLoad::of_pool(&m, 0, nine(&m), Email::Ignored);
        let ok = |f: &QueueFigures| f.service_level >= 0.8;
        let n = load.fewest_agents(20.0, 100, ok).unwrap();
        assert!(ok(&load.figures(n, 20.0).unwrap()));
        assert!(!ok(&load.figures(n - 1, 20.0).unwrap()));
        // With 5 Erlang offered, 80% within 20 s takes more than 5 agents.
        assert!(n > 5, "{n}");
        assert_eq!(load.fewest_agents(20.0, n - 1, ok), None);
    }
}
