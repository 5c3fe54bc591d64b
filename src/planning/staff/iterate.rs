//! Phase 2 of the search: the iterative staffing algorithm (ISA) of
//! Feldman, Mandelbaum, Massey and Whitt (2008). The system is simulated
//! with staffing `nₖ`, recording the distribution of the number `L(t)` of
//! contacts in the system; the next staffing is
//! `nₖ₊₁(i) = min { n : P(L ≥ n) ≤ α(i) }`, with `α(i)` the delay
//! probability of Erlang A's first guess, until the staffing no longer
//! changes.

use super::evaluate::Evaluation;
use super::guess::FirstGuess;
use super::{Search, StaffError};

/// What ISA ends with: its last staffing and, when it converged, the
/// simulation of that staffing (which the correction starts from).
pub(super) struct Isa {
    pub(super) staffing: Vec<u32>,
    pub(super) last: Option<Evaluation>,
}

/// Runs ISA from the first guess for at most `budget` simulations.
pub(super) fn isa(search: &mut Search, guess: &FirstGuess, budget: u32) -> Result<Isa, StaffError> {
    let problem = search.problem;
    let intervals = problem.model.calendar.intervals();
    let mut staffing = guess.staffing.clone();
    while search.iterations.isa < budget {
        search.iterations.isa += 1;
        let eval = search.simulate(&staffing, "ISA", true)?;
        let next: Vec<u32> = (0..intervals)
            .map(|i| {
                if !problem.active[i] {
                    return 0;
                }
                let tail = &eval.tail[i];
                (0..tail.len() as u32)
                    .find(|&n| tail[n as usize] <= guess.alpha[i])
                    .unwrap_or(tail.len() as u32)
                    .min(problem.cap)
            })
            .collect();
        if next == staffing {
            search.iterations.isa_converged = true;
            return Ok(Isa {
                staffing,
                last: Some(eval),
            });
        }
        staffing = next;
    }
    Ok(Isa {
        staffing,
        last: None,
    })
}
