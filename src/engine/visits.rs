//! The counter: appointment books filled at the start of a replication,
//! visitors who check in and wait to be called to a desk, and desks that
//! stay after closing until the visitors inside are served.

use rand::RngExt;

use crate::model::calendar::DAY;
use crate::model::{AppointmentBook, Channel, Model, Seconds};
use crate::stats::{ContactEnd, Ended, Recorder};

use super::book::{self, Appointment, Punctual, Slot};
use super::ids::{AppointmentId, IntervalId, StreamId};
use super::rng::{Source, stream_rng};
use super::stream::{Caller, Draws, sampler};
use super::{Engine, EngineError, Event, EventKind, Router};

/// When visitors come around their appointment time, if the model says.
pub(super) fn punctual(model: &Model) -> Result<Option<Punctual>, EngineError> {
    let Some(p) = &model.channel(Channel::Visit).punctuality else {
        return Ok(None);
    };
    Ok(Some(Punctual {
        early: p.early,
        early_by: sampler(&p.early_by, || "punctuality.early_by on visit".to_string())?,
        late_by: sampler(&p.late_by, || "punctuality.late_by on visit".to_string())?,
    }))
}

impl<P: Router> Engine<'_, P> {
    /// Fills the lines' appointment books for this replication and
    /// schedules the check-in of every visitor who comes.
    ///
    /// The `Visit` events are made now, in the order they were always
    /// scheduled, but only the earliest goes into the calendar; each one
    /// handled puts in the next ([`Engine::on_visit`]). With all of them in
    /// the calendar from the start, every event of the horizon paid a heap
    /// as deep as the horizon's visits (at 540,000 visits a day, 70% of the
    /// time went to the calendar). The events keep the sequence numbers
    /// they had when scheduled here, so the calendar runs them in the same
    /// order among the others: the earliest visit not yet run is always in
    /// it, and every event scheduled later has a higher number.
    pub(super) fn open_books<R: Recorder>(
        &mut self,
        seed: u64,
        replication: u64,
        recorder: &mut R,
    ) {
        let model = self.model;
        self.visits_ahead.clear();
        self.visit_due = None;
        for (l, line) in model.lines.iter().enumerate() {
            let Some(book) = &line.book else { continue };
            let mut rng = stream_rng(seed, replication, Source::Booking, &line.name, "visit");
            for day in 0..model.calendar.days {
                self.slots.clear();
                book::book_day(model, book, day, &mut rng, &mut self.slots);
                let midnight = f64::from(day) * DAY;
                let hours = model.line_window(l, day).unwrap_or((midnight, midnight));
                for k in 0..self.slots.len() {
                    let slot = self.slots[k];
                    self.take_booking(book, slot, hours, recorder);
                }
            }
        }
        // Nothing else was scheduled meanwhile: the visits take the next
        // numbers, in the order they were booked.
        let first = self.events.reserve(self.visits_ahead.len() as u64);
        for (visit, _) in &mut self.visits_ahead {
            *visit = Event::reserved(visit.time(), first + visit.seq(), visit.kind);
        }
        // Events order the latest first (the calendar is a max-heap), so
        // the earliest visit ends up last, to be popped. The visitor goes
        // with the event: the visitors are then read in the order they
        // check in, not desk by desk as they were booked (a cache miss
        // each, a fifth of the time at 540,000 visits a day).
        self.visits_ahead.sort_unstable_by_key(|a| a.0);
        self.next_visit_in();
    }

    /// Puts the earliest visit not yet in the calendar in it.
    fn next_visit_in(&mut self) {
        if let Some((visit, appointment)) = self.visits_ahead.pop() {
            self.events.push(visit);
            self.visit_due = Some(appointment);
        }
    }

    /// What becomes of a booked `slot` on a day the line is open during
    /// `hours`: the citizen uses the digital counter instead (deflected),
    /// does not come (a no-show), or checks in (a `Visit` event).
    fn take_booking<R: Recorder>(
        &mut self,
        book: &AppointmentBook,
        slot: Slot,
        (open, close): (Seconds, Seconds),
        recorder: &mut R,
    ) {
        let product = book.products[slot.product];
        let s = product.stream;
        let interval = self.model.calendar.interval_at(slot.due);
        let state = &mut self.streams[s];
        if product.deflection > 0.0 && state.choice_rng.random::<f64>() < product.deflection {
            recorder.deflected(s, interval);
            return;
        }
        recorder.booked(s, interval);
        if product.no_show > 0.0 && state.arrivals.random::<f64>() < product.no_show {
            recorder.no_show(s, interval);
            return;
        }
        let arrival = match &self.punctual {
            Some(p) => p.arrival(slot.due, &mut state.arrivals),
            None => slot.due,
        };
        // The door opens at the line's opening: early birds check in then.
        let check_in = arrival.max(open);
        let too_late = check_in >= close;
        // A desk calls nobody earlier than the book allows.
        let ready = match book.call_early {
            Some(early) if !too_late => check_in.max(slot.due - early),
            _ => check_in,
        };
        // Numbered in booking order here; `open_books` gives the sequence
        // numbers.
        let order = self.visits_ahead.len();
        let appointment = AppointmentId::new(order);
        self.visits_ahead.push((
            Event::reserved(ready, order as u64, EventKind::Visit { appointment }),
            Appointment {
                stream: StreamId::new(s),
                interval: IntervalId::new(interval),
                due: slot.due,
                check_in,
                too_late,
            },
        ));
    }

    /// A visitor with an appointment who checked in may now be called to a
    /// desk (or found the door closed). The wait counts from the check-in.
    pub(super) fn on_visit<R: Recorder>(
        &mut self,
        appointment: AppointmentId,
        now: Seconds,
        recorder: &mut R,
    ) {
        let Some(a) = self.visit_due.take() else {
            debug_assert!(false, "visit {appointment:?} without its visitor");
            return;
        };
        self.next_visit_in();
        let s = a.stream.index();
        recorder.offered(s, a.interval.index());
        let number = self.next_contact();
        if a.too_late {
            recorder.closed_out(s, a.interval.index(), 0.0);
            recorder.sojourn(s, now, now);
            recorder.contact(&ContactEnd {
                contact: u64::from(number),
                caller: u64::from(number),
                stream: s,
                arrival: now,
                outcome: Ended::ClosedOut,
                wait: 0.0,
                handle: None,
                pool: None,
            });
            return;
        }
        let mut contact = self.streams[s].contact(
            self.model,
            now,
            a.interval,
            Draws::First,
            Caller::first(s, a.interval, number),
            number,
        );
        contact.due = a.due;
        contact.arrival = a.check_in;
        contact.on_time_until =
            a.check_in + self.model.channel(Channel::Visit).service_level_threshold;
        self.admit(s, contact, now, recorder);
    }

    /// Whether visitors who checked in before their line closed still wait
    /// in a queue that pool `p` serves: its desks stay until they are served.
    pub(super) fn visitors_after_hours(&self, p: usize) -> bool {
        self.router.watched(p).iter().any(|&s| {
            self.streams[s].channel == Channel::Visit
                && !self.line_open[self.streams[s].line]
                && !self.queues[s].is_empty()
        })
    }

    /// Whether an agent of some pool that serves stream `s` is on duty
    /// (busy ones about to leave included).
    pub(super) fn desk_on_duty(&self, s: usize) -> bool {
        (0..self.pools.len())
            .any(|p| self.pools[p].present > 0 && self.router.watched(p).contains(&s))
    }
}
