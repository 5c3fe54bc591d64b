//! Handle-time and patience fits against the distributions that generated
//! the data (issue 16): the family chosen by AIC, the mean and cv within
//! their 95% intervals, the censored patience estimate against the naive
//! mean of the abandoned waits, the Erlang A relation on interval rows of
//! a simulated queue, and the Kaplan–Meier curve on a hand-computed case.

use chrono::NaiveDate;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Weibull};
use rand_pcg::Pcg64Mcg;

use ccsim::fit::{
    Family, HandleAccumulator, PatienceAccumulator, handle_from_intervals, patience_from_intervals,
};
use ccsim::history::IntervalRow;
use ccsim::model::Channel;
use ccsim::model::distribution::weibull_cv_from_shape;
use statrs::function::gamma::gamma;

fn lognormal(mean: f64, cv: f64) -> LogNormal<f64> {
    let s2 = (1.0 + cv * cv).ln();
    LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).unwrap()
}

fn weibull(mean: f64, shape: f64) -> Weibull<f64> {
    Weibull::new(mean / gamma(1.0 + 1.0 / shape), shape).unwrap()
}

#[test]
fn lognormal_handle_times_choose_the_lognormal() {
    let mut rng = Pcg64Mcg::new(1);
    let law = lognormal(300.0, 0.8);
    let mut acc = HandleAccumulator::new();
    for _ in 0..20_000 {
        acc.add(law.sample(&mut rng));
    }
    let fit = acc.finish().expect("a fit");
    assert_eq!(fit.family, Some(Family::Lognormal), "{:#?}", fit.candidates);
    assert_eq!(fit.observations, 20_000);
    assert!(fit.mean.covers(300.0), "mean {:?}", fit.mean);
    let cv = fit.cv.expect("a cv");
    assert!(cv.covers(0.8), "cv {cv:?}");
    // Intervals of a sensible width: ± a few percent with 20,000 contacts.
    assert!(
        fit.mean.high - fit.mean.low < 0.05 * 300.0,
        "{:?}",
        fit.mean
    );
    assert_eq!(fit.candidates.len(), 4);
    assert!(fit.candidates.windows(2).all(|w| w[0].aic <= w[1].aic));
    let histogram = fit.histogram.expect("a histogram");
    assert_eq!(histogram.edges.len(), histogram.counts.len() + 1);
    assert_eq!(histogram.counts.iter().sum::<u64>(), 20_000);
}

#[test]
fn gamma_handle_times_choose_the_gamma() {
    let mut rng = Pcg64Mcg::new(2);
    // Mean 300 s, cv 0.5: shape 4, scale 75.
    let law = Gamma::new(4.0, 75.0).unwrap();
    let mut acc = HandleAccumulator::new();
    for _ in 0..20_000 {
        acc.add(law.sample(&mut rng));
    }
    let fit = acc.finish().expect("a fit");
    assert_eq!(fit.family, Some(Family::Gamma), "{:#?}", fit.candidates);
    assert!(fit.mean.covers(300.0), "mean {:?}", fit.mean);
    assert!(fit.cv.unwrap().covers(0.5), "cv {:?}", fit.cv);
}

#[test]
fn weibull_handle_times_choose_the_weibull() {
    let mut rng = Pcg64Mcg::new(3);
    let law = weibull(240.0, 2.0);
    let mut acc = HandleAccumulator::new();
    for _ in 0..20_000 {
        acc.add(law.sample(&mut rng));
    }
    let fit = acc.finish().expect("a fit");
    assert_eq!(fit.family, Some(Family::Weibull), "{:#?}", fit.candidates);
    assert!(fit.mean.covers(240.0), "mean {:?}", fit.mean);
    assert!(
        fit.cv.unwrap().covers(weibull_cv_from_shape(2.0)),
        "cv {:?}",
        fit.cv
    );
}

#[test]
fn exponential_handle_times_have_the_exact_interval() {
    let mut rng = Pcg64Mcg::new(4);
    let law = Exp::new(1.0 / 200.0).unwrap();
    let mut acc = HandleAccumulator::new();
    let mut sum = 0.0;
    for _ in 0..5_000 {
        let x = law.sample(&mut rng);
        sum += x;
        acc.add(x);
    }
    let fit = acc.finish().expect("a fit");
    let exp = fit
        .candidates
        .iter()
        .find(|c| c.family == Family::Exponential)
        .unwrap();
    assert!((exp.mean - sum / 5_000.0).abs() < 1e-9 * exp.mean);
    // The exponential is nested in gamma and Weibull: its AIC is within a
    // few points of the best (2 for the extra parameter).
    let best = fit.candidates[0].aic;
    assert!(exp.aic - best < 4.0, "{:#?}", fit.candidates);
    assert!(fit.mean.covers(200.0), "{:?}", fit.mean);
}

#[test]
fn non_positive_handle_times_are_counted_and_skipped() {
    let mut acc = HandleAccumulator::new();
    for x in [0.0, -3.0, f64::NAN] {
        acc.add(x);
    }
    for i in 0..9 {
        acc.add(100.0 + i as f64);
    }
    assert_eq!(acc.skipped(), 3);
    assert_eq!(acc.observations(), 9);
    assert!(acc.finish().is_none(), "9 handle times are too few");
    acc.add(250.0);
    let fit = acc.finish().expect("10 handle times");
    assert_eq!(fit.observations, 10);
    assert_eq!(
        acc.warning().as_deref(),
        Some("3 handle time(s) of 0 s or below left out of the fit (of 13)")
    );
}

/// Exponential patience of mean 180 s; waits until an agent answers drawn
/// exponential with mean 20 s: about 90% of the contacts are answered.
#[test]
fn censored_patience_is_recovered_where_the_naive_mean_is_far_below() {
    let mut rng = Pcg64Mcg::new(5);
    let patience = Exp::new(1.0 / 180.0).unwrap();
    let answer = Exp::new(1.0 / 20.0).unwrap();
    let mut acc = PatienceAccumulator::new(Channel::Call);
    for _ in 0..50_000 {
        let (p, w): (f64, f64) = (patience.sample(&mut rng), answer.sample(&mut rng));
        acc.add(p.min(w), p < w);
    }
    let fit = acc.finish().expect("a fit");
    let naive = fit.naive_mean.expect("a naive mean");
    let message = format!(
        "censored estimate {:?} ({:?}), naive mean of abandoned waits {naive:.1} s, \
         {} abandoned, {} censored",
        fit.mean, fit.family, fit.abandoned, fit.censored
    );
    let share = fit.abandoned as f64 / 50_000.0;
    assert!((share - 0.1).abs() < 0.01, "{message}");
    assert!(fit.mean.covers(180.0), "{message}");
    assert!(naive < 0.2 * 180.0, "{message}");
    assert!(naive < fit.mean.low, "{message}");
    let exp = fit
        .candidates
        .iter()
        .find(|c| c.family == Family::Exponential)
        .expect("the exponential is always fitted");
    assert!((exp.mean - 180.0).abs() < 0.1 * 180.0, "{message}");
    let theta = fit.theta.expect("θ");
    assert!(theta.covers(1.0 / 180.0), "{theta:?}");
    assert!(!fit.kaplan_meier.is_empty() && fit.kaplan_meier.len() <= 700);
}

/// Weibull patience of mean 180 s, answered after exponential waits of mean
/// 60 s, over 30 seeds: the Weibull is chosen every time, and the 95%
/// intervals of mean and cv cover the truth at least 25 times in 30 (28.5
/// expected; fewer than 25 has probability 0.6% when they hold 95%).
fn weibull_patience_recovered(shape: f64, seed: u128) {
    let true_cv = weibull_cv_from_shape(shape);
    let (mut mean_covered, mut cv_covered) = (0, 0);
    for run in 0..30 {
        let mut rng = Pcg64Mcg::new(seed + run);
        let patience = weibull(180.0, shape);
        let answer = Exp::new(1.0 / 60.0).unwrap();
        let mut acc = PatienceAccumulator::new(Channel::Chat);
        for _ in 0..40_000 {
            let (p, w): (f64, f64) = (patience.sample(&mut rng), answer.sample(&mut rng));
            acc.add(p.min(w), p < w);
        }
        let fit = acc.finish().expect("a fit");
        let message = format!(
            "shape {shape}, run {run}: mean {:?}, cv {:?} (true {true_cv}), {} abandoned, {:#?}",
            fit.mean, fit.cv, fit.abandoned, fit.candidates
        );
        assert_eq!(fit.family, Family::Weibull, "{message}");
        assert!(fit.naive_mean.unwrap() < fit.mean.low, "{message}");
        mean_covered += fit.mean.covers(180.0) as u32;
        cv_covered += fit.cv.covers(true_cv) as u32;
    }
    assert!(
        mean_covered >= 25 && cv_covered >= 25,
        "shape {shape}: mean covered {mean_covered}/30, cv covered {cv_covered}/30"
    );
}

#[test]
fn weibull_patience_shape_0_7_is_recovered() {
    weibull_patience_recovered(0.7, 600);
}

#[test]
fn weibull_patience_shape_1_5_is_recovered() {
    weibull_patience_recovered(1.5, 700);
}

#[test]
fn lognormal_patience_chooses_the_lognormal() {
    let mut rng = Pcg64Mcg::new(8);
    let patience = lognormal(120.0, 1.2);
    let answer = Exp::new(1.0 / 40.0).unwrap();
    let mut acc = PatienceAccumulator::new(Channel::Call);
    for _ in 0..40_000 {
        let (p, w): (f64, f64) = (patience.sample(&mut rng), answer.sample(&mut rng));
        acc.add(p.min(w), p < w);
    }
    let fit = acc.finish().expect("a fit");
    assert_eq!(fit.family, Family::Lognormal, "{:#?}", fit.candidates);
    assert!(fit.mean.covers(120.0), "{:?}", fit.mean);
    assert!(fit.cv.covers(1.2), "{:?}", fit.cv);
}

#[test]
fn kaplan_meier_is_the_exact_product_limit_estimate() {
    // Abandoned at 2, 4, 4, 7 s; answered (censored) at 3, 4, 8 s.
    let mut acc = PatienceAccumulator::new(Channel::Call);
    for (w, abandoned) in [
        (4.0, true),
        (3.0, false),
        (2.0, true),
        (8.0, false),
        (4.0, false),
        (7.0, true),
        (4.0, true),
    ] {
        acc.add(w, abandoned);
    }
    let fit = acc.finish().expect("a fit");
    // t = 2: 7 at risk, 1 abandons; t = 4: 5 at risk (the censored at 4
    // too), 2 abandon; t = 7: 2 at risk, 1 abandons.
    let expected = [
        (2.0, 6.0 / 7.0, 1.0 / 42.0),
        (4.0, 18.0 / 35.0, 1.0 / 42.0 + 2.0 / 15.0),
        (7.0, 9.0 / 35.0, 1.0 / 42.0 + 2.0 / 15.0 + 1.0 / 2.0),
    ];
    assert_eq!(fit.kaplan_meier.len(), 3, "{:#?}", fit.kaplan_meier);
    for (point, (t, s, greenwood)) in fit.kaplan_meier.iter().zip(expected) {
        assert!((point.t - t).abs() < 1e-12, "{point:?}");
        assert!((point.survival - s).abs() < 1e-12, "{point:?}");
        let sd = f64::sqrt(greenwood) / f64::ln(s).abs();
        let factor = (1.959_963_984_540_054 * sd).exp();
        assert!((point.low - s.powf(factor)).abs() < 1e-12, "{point:?}");
        assert!(
            (point.high - s.powf(1.0 / factor)).abs() < 1e-12,
            "{point:?}"
        );
        assert!(point.low < s && s < point.high);
    }
    assert_eq!((fit.abandoned, fit.censored), (4, 3));
    assert_eq!(fit.naive_mean, Some(17.0 / 4.0));
    // Exponential only with 4 abandons: rate 4 / (17 + 15) per second.
    assert_eq!(fit.family, Family::Exponential);
    assert!((fit.mean.value - 8.0).abs() < 1e-12);
}

fn row(date: NaiveDate, start: u32, channel: Channel) -> IntervalRow {
    IntervalRow {
        date,
        start,
        theme: "general".into(),
        channel,
        offered: 0,
        answered: 0,
        abandoned: 0,
        answered_within: None,
        handle_time: None,
        asa: None,
        abandon_wait: None,
        agents: None,
    }
}

/// An M/M/c+M queue (FCFS, exponential patience of mean 180 s) simulated
/// over several days and counted per 15 minutes as an ACD does; θ from
/// the rows must recover 1/180.
#[test]
fn erlang_a_theta_from_interval_rows_recovers_the_patience() {
    let mut rng = Pcg64Mcg::new(9);
    let interarrival = Exp::new(1.0 / 12.0).unwrap(); // 300 per hour
    let service = Exp::new(1.0 / 240.0).unwrap(); // load 20 Erlang
    let patience = Exp::new(1.0 / 180.0).unwrap();
    let agents = 19;
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut rows: Vec<IntervalRow> = Vec::new();
    let mut waits = Vec::new(); // (answered wait sum, abandoned wait sum) per row
    let mut free = vec![0.0f64; agents];
    let mut t = 0.0;
    let horizon = 20.0 * 86_400.0;
    while t < horizon {
        t += interarrival.sample(&mut rng);
        let interval = (t / 900.0) as usize;
        while rows.len() <= interval {
            let i = rows.len() as u32;
            rows.push(row(date, i * 900, Channel::Call));
            waits.push((0.0, 0.0));
        }
        let (k, first_free) = free
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        let wait = (first_free - t).max(0.0);
        let p = patience.sample(&mut rng);
        let r = &mut rows[interval];
        r.offered += 1;
        if p < wait {
            r.abandoned += 1;
            waits[interval].1 += p;
        } else {
            r.answered += 1;
            waits[interval].0 += wait;
            free[k] = t + wait + service.sample(&mut rng);
        }
    }
    for (r, (answered_wait, abandoned_wait)) in rows.iter_mut().zip(&waits) {
        r.asa = (r.answered > 0).then(|| answered_wait / r.answered as f64);
        r.abandon_wait = (r.abandoned > 0).then(|| abandoned_wait / r.abandoned as f64);
    }
    // A chat row must be ignored.
    let mut chat = row(date, 0, Channel::Chat);
    chat.abandoned = 1000;
    chat.abandon_wait = Some(1.0);
    rows.push(chat);
    let fit = patience_from_intervals(Channel::Call, &rows).expect("a fit");
    let theta = fit.theta.expect("θ");
    let message = format!(
        "θ {theta:?}, mean {:?}, {} abandoned",
        fit.mean, fit.abandoned
    );
    assert!(fit.abandoned > 1000, "{message}");
    assert!(theta.covers(1.0 / 180.0), "{message}");
    assert!(fit.mean.covers(180.0), "{message}");
    assert_eq!(fit.family, Family::Exponential);
    assert!((fit.mean.value * theta.value - 1.0).abs() < 1e-12);

    // Without any abandon_wait θ cannot be computed.
    let without: Vec<IntervalRow> = rows
        .iter()
        .cloned()
        .map(|mut r| {
            r.abandon_wait = None;
            r
        })
        .collect();
    assert!(patience_from_intervals(Channel::Call, &without).is_none());
    assert!(patience_from_intervals(Channel::Email, &rows).is_none());
}

#[test]
fn interval_handle_time_is_the_answered_weighted_mean() {
    let mut rng = Pcg64Mcg::new(10);
    let law = lognormal(300.0, 0.8);
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut rows = Vec::new();
    let (mut total, mut answered) = (0.0, 0u64);
    for i in 0..400u32 {
        let mut r = row(date, i * 900, Channel::Call);
        r.answered = 1 + (i as u64 * 7) % 40;
        let sum: f64 = (0..r.answered).map(|_| law.sample(&mut rng)).sum();
        r.handle_time = Some(sum / r.answered as f64);
        total += sum;
        answered += r.answered;
        rows.push(r);
    }
    // Rows without answered contacts or handle time do not count.
    rows.push(row(date, 0, Channel::Call));
    let fit = handle_from_intervals(&rows).expect("a fit");
    assert_eq!(fit.observations, answered);
    assert!((fit.mean.value - total / answered as f64).abs() < 1e-9);
    assert!(fit.mean.covers(300.0), "{:?}", fit.mean);
    // The CI's half-width is near the true standard error 1.96 · 240/√n.
    let half = (fit.mean.high - fit.mean.low) / 2.0;
    let truth = 1.96 * 240.0 / (answered as f64).sqrt();
    assert!(
        (half / truth - 1.0).abs() < 0.25,
        "half-width {half}, expected about {truth}"
    );
    assert!(fit.cv.is_none() && fit.family.is_none() && fit.histogram.is_none());
    assert!(handle_from_intervals(&rows[..1]).is_none());
}

#[test]
fn identical_handle_times_fall_back_to_the_exponential() {
    // Two-parameter families degenerate (zero spread): only the exponential.
    let mut acc = HandleAccumulator::new();
    for _ in 0..50 {
        acc.add(120.0);
    }
    let fit = acc.finish().expect("a fit");
    assert_eq!(fit.family, Some(Family::Exponential));
    assert_eq!(fit.candidates.len(), 1);
    assert!((fit.mean.value - 120.0).abs() < 1e-9);
}

#[test]
fn patience_needs_an_abandon_and_a_live_channel() {
    let mut acc = PatienceAccumulator::new(Channel::Call);
    for w in [0.0, 5.0, 30.0] {
        acc.add(w, false);
    }
    acc.add(-1.0, true);
    assert_eq!(acc.skipped(), 1);
    assert!(acc.finish().is_none(), "no abandon: no finite patience");
    acc.add(0.0, true); // abandoned at once: patience below one second
    let fit = acc.finish().expect("one abandon");
    assert_eq!((fit.abandoned, fit.censored), (1, 3));
    // Rate 1 / 35 s of waiting.
    assert!((fit.mean.value - 35.0).abs() < 1e-9, "{:?}", fit.mean);
    let mut email = PatienceAccumulator::new(Channel::Email);
    email.add(10.0, true);
    assert!(email.finish().is_none());
}
