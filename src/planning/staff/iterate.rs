//! Phase 2 of the search: the iterative staffing algorithm (ISA) of
//! Feldman, Mandelbaum, Massey and Whitt (2008). The system is simulated
//! with staffing `nₖ`, recording the distribution of the number `L(t)` of
//! contacts in the system; the next staffing is
//! `nₖ₊₁(i) = min { n : P(L ≥ n) ≤ α(i) }`, with `α(i)` the delay
//! probability of Erlang A's first guess, until the staffing no longer
//! changes (or comes back to a staffing it had: a cycle). With several
//! pools, ISA runs for the one pool staffed for calls and chats when there
//! is one (an e-mail desk keeps its first guess
//! meanwhile); with several such pools it is skipped and the correction
//! starts from Erlang A's guess, since the contacts in the system cannot be
//! told apart by pool.

use super::evaluate::Evaluation;
use super::guess::FirstGuess;
use super::{Search, StaffError};

/// What ISA ends with: its last staffing and, when it converged, the
/// simulation of that staffing (which the correction starts from).
pub(super) struct Isa {
    pub(super) staffing: Vec<u32>,
    pub(super) last: Option<Evaluation>,
}

/// ISA, or a coarse stage of the correction, has settled when at most one
/// in `SETTLED` of its intervals change (after its first steps, a few dozen
/// of 1,240 over Q2, up and down by an agent: noise of the coarse stage,
/// not a trend).
pub(super) const SETTLED: usize = 20;

/// How many slots two staffings staff differently.
pub(super) fn changed(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// Runs ISA from the first guess for at most `budget` simulations, until
/// it settles (see [`SETTLED`]) or cycles.
pub(super) fn isa(search: &mut Search, guess: &FirstGuess, budget: u32) -> Result<Isa, StaffError> {
    let problem = search.problem;
    let intervals = problem.intervals();
    let mut staffing = guess.staffing.clone();
    let live: Vec<usize> = (0..problem.pools.len())
        .filter(|&p| !problem.pools[p].email)
        .collect();
    let [p] = live[..] else {
        return Ok(Isa {
            staffing,
            last: None,
        });
    };
    let cap = problem.pools[p].cap;
    let live_slots = (p * intervals..(p + 1) * intervals)
        .filter(|&k| problem.active[k])
        .count();
    let mut seen: Vec<Vec<u32>> = Vec::new();
    while search.iterations.isa < budget {
        search.iterations.isa += 1;
        let eval = search.simulate(&staffing, "ISA", Some(p))?;
        let mut next = staffing.clone();
        for i in 0..intervals {
            let k = p * intervals + i;
            next[k] = if problem.active[k] {
                let tail = &eval.tail[i];
                (0..tail.len() as u32)
                    .find(|&n| tail[n as usize] <= guess.alpha[k])
                    .unwrap_or(tail.len() as u32)
                    .min(cap)
            } else {
                0
            };
        }
        let moved = changed(&next, &staffing);
        // Settled: no interval changes, or so few that the correction,
        // which moves every interval to its targets next, would not tell.
        // A cycle: the map has no fixed point at these replications. Either
        // way the correction starts from this staffing and its simulation.
        if moved * SETTLED <= live_slots || seen.contains(&next) {
            search.iterations.isa_converged = moved == 0;
            return Ok(Isa {
                staffing,
                last: Some(eval),
            });
        }
        seen.push(std::mem::replace(&mut staffing, next));
    }
    Ok(Isa {
        staffing,
        last: None,
    })
}
