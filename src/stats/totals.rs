//! The sums a figure is computed from: the counters of a set of streams over
//! a set of intervals ([`Totals`]) and the agent time of a pool over a set of
//! intervals ([`PoolTotals`]), each with the figures it gives.
//! `metrics.rs` decides which cells are summed for which figure.

use crate::model::{Metric, Pool};

use super::counters::{PoolCell, StreamCell};

/// Sums of counters over some set of cells.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Totals {
    pub(super) offered: f64,
    answered: f64,
    on_time: f64,
    abandoned: f64,
    closed_out: f64,
    blocked: f64,
    left_waiting: f64,
    left_late: f64,
    wait: f64,
    handled: f64,
    cost: f64,
    sent_away: f64,
    callbacks: f64,
    callbacks_made: f64,
    callback_delay: f64,
    redials: f64,
    transfers_in: f64,
    callers: f64,
    callers_reached: f64,
    callers_pending: f64,
    attempts: f64,
    booked: f64,
    no_shows: f64,
    deflected: f64,
    served_early: f64,
    /// Answered contacts that had an appointment.
    booked_answered: f64,
}

impl Totals {
    /// Adds one cell of a stream whose handled seconds cost `price` each;
    /// `booked` when the stream's contacts come from an appointment book.
    pub(super) fn add(&mut self, c: &StreamCell, price: f64, booked: bool) {
        self.booked += f64::from(c.booked);
        self.no_shows += f64::from(c.no_shows);
        self.deflected += f64::from(c.deflected);
        self.served_early += f64::from(c.served_early);
        if booked {
            self.booked_answered += f64::from(c.answered);
        }
        self.offered += f64::from(c.offered);
        self.answered += f64::from(c.answered);
        self.on_time += f64::from(c.on_time);
        self.abandoned += f64::from(c.abandoned);
        self.closed_out += f64::from(c.closed_out);
        self.blocked += f64::from(c.blocked);
        self.left_waiting += f64::from(c.left_waiting);
        self.left_late += f64::from(c.left_late);
        self.wait += c.wait_answered;
        self.handled += c.handled;
        self.cost += c.handled * price;
        self.sent_away += f64::from(c.sent_away);
        self.callbacks += f64::from(c.callbacks);
        self.callbacks_made += f64::from(c.callbacks_made);
        self.callback_delay += c.callback_delay;
        self.redials += f64::from(c.redials);
        self.transfers_in += f64::from(c.transfers_in);
        self.callers += f64::from(c.callers);
        self.callers_reached += f64::from(c.callers_reached);
        self.callers_pending += f64::from(c.callers_pending);
        self.attempts += f64::from(c.attempts);
    }

    /// Adds the sums of another set of cells.
    pub(super) fn merge(&mut self, o: &Totals) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.on_time += o.on_time;
        self.abandoned += o.abandoned;
        self.closed_out += o.closed_out;
        self.blocked += o.blocked;
        self.left_waiting += o.left_waiting;
        self.left_late += o.left_late;
        self.wait += o.wait;
        self.handled += o.handled;
        self.cost += o.cost;
        self.sent_away += o.sent_away;
        self.callbacks += o.callbacks;
        self.callbacks_made += o.callbacks_made;
        self.callback_delay += o.callback_delay;
        self.redials += o.redials;
        self.transfers_in += o.transfers_in;
        self.callers += o.callers;
        self.callers_reached += o.callers_reached;
        self.callers_pending += o.callers_pending;
        self.attempts += o.attempts;
        self.booked += o.booked;
        self.no_shows += o.no_shows;
        self.deflected += o.deflected;
        self.served_early += o.served_early;
        self.booked_answered += o.booked_answered;
    }

    /// E-mails whose fate (on time or late) is known at the end of the horizon.
    fn decided(&self) -> f64 {
        self.offered - (self.left_waiting - self.left_late)
    }

    /// These e-mail totals as the total of all channels counts them:
    /// answered when picked up by their deadline, offered when their fate
    /// is known.
    pub(super) fn by_deadline(&self) -> Totals {
        let mut t = *self;
        t.answered = self.on_time;
        t.offered = self.decided();
        t
    }

    /// The figure `metric` of these cells (`email`: reachability counts by
    /// deadline); NaN for a metric they do not give.
    pub(super) fn value(&self, metric: Metric, email: bool) -> f64 {
        match metric {
            Metric::Offered => self.offered,
            Metric::Answered => self.answered,
            Metric::Abandoned => self.abandoned,
            Metric::ClosedOut => self.closed_out,
            Metric::Blocked => self.blocked,
            Metric::Reachability if email => ratio(self.on_time, self.decided()),
            Metric::Reachability => ratio(self.answered, self.offered),
            Metric::ServiceLevel => ratio(self.on_time, self.offered),
            Metric::Asa => ratio(self.wait, self.answered),
            Metric::AbandonShare => ratio(self.abandoned, self.offered),
            Metric::HandledHours => self.handled / 3600.0,
            Metric::Cost => self.cost,
            Metric::SentAway => self.sent_away,
            Metric::Callbacks => self.callbacks,
            Metric::CallbacksMade => self.callbacks_made,
            Metric::CallbackDelay => ratio(self.callback_delay, self.callbacks_made),
            Metric::Redials => self.redials,
            Metric::TransfersIn => self.transfers_in,
            Metric::Callers => self.callers,
            Metric::CallerReachability => {
                ratio(self.callers_reached, self.callers - self.callers_pending)
            }
            Metric::AttemptsPerCaller => ratio(self.attempts, self.callers),
            Metric::Booked => self.booked,
            Metric::NoShows => self.no_shows,
            Metric::Deflected => self.deflected,
            Metric::ServedEarly => ratio(self.served_early, self.booked_answered),
            Metric::TransactionTime => ratio(self.handled, self.answered),
            _ => f64::NAN,
        }
    }
}

/// Agent time of one pool over some set of intervals, agent-seconds, the
/// price of its extra support and the price of its agents' hours.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PoolTotals {
    busy: f64,
    present: f64,
    scheduled: f64,
    absent: f64,
    extra: f64,
    pub(super) extra_cost: f64,
    /// Price of one scheduled hour of the pool's own agents.
    hour_price: f64,
}

impl PoolTotals {
    /// Adds interval `i` of `pool`, whose agent time is `cell`; intervals
    /// last `interval` seconds.
    pub(super) fn add(&mut self, cell: &PoolCell, pool: &Pool, i: usize, interval: f64) {
        self.busy += cell.busy;
        self.present += cell.present;
        self.absent += cell.absent;
        self.scheduled += pool.scheduled[i] * interval;
        self.hour_price = pool.hour_price;
        if pool.has_extra() {
            self.extra += f64::from(pool.extra[i]) * interval;
            self.extra_cost += pool.extra_cost[i];
        }
    }

    /// Scheduled hours × the price of an hour: exactly the reported
    /// `scheduled_hours` times `hour_price`.
    pub(super) fn staff_cost(&self) -> f64 {
        self.scheduled / 3600.0 * self.hour_price
    }

    /// Busy agent time over agent time on duty; NaN when nobody was on duty.
    pub(super) fn occupancy(&self) -> f64 {
        ratio(self.busy, self.present)
    }

    /// The figure `metric` of the pool over intervals lasting `duration`
    /// seconds together; NaN for a metric a pool does not have.
    pub(super) fn value(&self, metric: Metric, duration: f64) -> f64 {
        match metric {
            Metric::Occupancy => self.occupancy(),
            Metric::Agents => self.present / duration,
            Metric::AgentHours => self.present / 3600.0,
            Metric::BusyHours => self.busy / 3600.0,
            Metric::ScheduledHours => self.scheduled / 3600.0,
            Metric::AbsentHours => self.absent / 3600.0,
            Metric::ExtraHours => self.extra / 3600.0,
            Metric::ExtraCost => self.extra_cost,
            Metric::StaffCost => self.staff_cost(),
            _ => f64::NAN,
        }
    }
}

/// `a / b`, undefined (NaN) when `b` is not positive.
pub(super) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}
