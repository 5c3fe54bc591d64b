//! The appointment books of a replication: which slots get booked, by which
//! product, and when each visitor turns up.
//!
//! A book is filled desk by desk and day by day (see
//! [`crate::model::AppointmentBook`]): each desk's bookable block is cut into
//! consecutive slots whose product is drawn from the mix, and a slot is
//! booked with the fill rate of the interval it starts in. Two draws are made
//! per slot, booked or not, so that a change of fill rate leaves the other
//! slots' products where they were (common random numbers).
//!
//! A booked slot may then be deflected to the digital counter (the product's
//! choice stream), be a no-show, or bring a visitor who arrives early or late
//! by the punctuality distributions (the product's arrival stream). A
//! visitor who comes before the line opens checks in at the opening; one
//! who comes after it closed is turned away (counted `closed_out`).

use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use crate::model::{AppointmentBook, Model, Sampler, Seconds};

use super::ids::{IntervalId, StreamId};

/// A visitor who will check in: the engine schedules a `Visit` event for it.
#[derive(Debug, Clone, Copy)]
pub struct Appointment {
    /// The product's visit stream.
    pub stream: StreamId,
    /// Interval of the appointment time (outcomes are counted there).
    pub interval: IntervalId,
    /// The appointment time.
    pub due: Seconds,
    /// When the visitor checked in (the `Visit` event comes when the
    /// visitor may be called, which may be later).
    pub check_in: Seconds,
    /// Arrived after the line closed: turned away at the door.
    pub too_late: bool,
}

/// A booked slot before the visitor's behaviour is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// Index of the product in its book.
    pub product: usize,
    /// The appointment time.
    pub due: Seconds,
}

/// Books the slots of `book` on horizon day `day` into `out` (appended, in
/// desk order), drawing from `rng`.
pub fn book_day(
    model: &Model,
    book: &AppointmentBook,
    day: u32,
    rng: &mut Pcg64Mcg,
    out: &mut Vec<Slot>,
) {
    let cal = &model.calendar;
    let per_day = cal.intervals_per_day as usize;
    let first = day as usize * per_day;
    let desks = &book.desks[first..first + per_day];
    let most = desks.iter().copied().max().unwrap_or(0);
    let midnight = f64::from(day) * 86_400.0;
    for desk in 0..most {
        let mut i = 0;
        while i < per_day {
            if desks[i] <= desk {
                i += 1;
                continue;
            }
            // A block of consecutive intervals in which this desk is bookable.
            let start = i;
            while i < per_day && desks[i] > desk {
                i += 1;
            }
            let end = i as f64 * cal.interval;
            let mut t = start as f64 * cal.interval;
            loop {
                let u_product: f64 = rng.random();
                let u_fill: f64 = rng.random();
                let k = pick(book, u_product);
                let slot = book.products[k].slot;
                if t + slot > end + 1e-6 {
                    break;
                }
                let interval = ((t / cal.interval) as usize).min(per_day - 1);
                if u_fill < book.fill[first + interval] {
                    out.push(Slot {
                        product: k,
                        due: midnight + t,
                    });
                }
                t += slot;
            }
        }
    }
}

/// The product of a slot, from a uniform draw over the products' shares.
fn pick(book: &AppointmentBook, u: f64) -> usize {
    let mut acc = 0.0;
    for (k, p) in book.products.iter().enumerate() {
        acc += p.share;
        if u < acc {
            return k;
        }
    }
    book.products.len() - 1
}

/// When visitors arrive around their appointment time.
pub struct Punctual {
    /// Share who come early.
    pub early: f64,
    /// How early.
    pub early_by: Sampler,
    /// How late the others come.
    pub late_by: Sampler,
}

impl Punctual {
    /// The arrival of a visitor due at `due`.
    pub fn arrival(&self, due: Seconds, rng: &mut Pcg64Mcg) -> Seconds {
        if rng.random::<f64>() < self.early {
            due - self.early_by.sample(rng)
        } else {
            due + self.late_by.sample(rng)
        }
    }
}
