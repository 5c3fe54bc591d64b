//! Checkers of single fields, shared by every section: shares, multipliers,
//! prices, whole counts, names and weekday keys. Each one notes a refused
//! value at the field's path and span and hands back `None` (or a neutral
//! value), so that the section goes on and every problem of a file is
//! reported in one go.

use std::ops::{Range, RangeInclusive};

use indexmap::IndexMap;
use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Channel, Weekday};
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::{Factors, Names, NumberOr, Whole};

/// The location of a value, as a problem takes it.
pub(super) fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

/// A number from 0 to 1 (`what` says which kind, e.g. "a share from 0 to
/// 1"), or `None` after noting the problem.
pub(super) fn unit_interval(
    v: &Spanned<f64>,
    path: &str,
    what: &str,
    p: &mut Problems,
) -> Option<f64> {
    let x = *v.get_ref();
    if (0.0..=1.0).contains(&x) {
        Some(x)
    } else {
        p.add(
            path,
            span(v),
            format!("must be {what}, got {}", readable(x)),
        );
        None
    }
}

/// A probability from 0 to 1 (a caller's choice), or `None` after noting the problem.
pub(super) fn probability(v: &Spanned<f64>, path: &str, p: &mut Problems) -> Option<f64> {
    unit_interval(v, path, "a probability from 0 to 1 (0.6 for 60%)", p)
}

/// A share from 0 to 1 (of contacts, of desk time), or `None` after noting the problem.
pub(super) fn share(v: &Spanned<f64>, path: &str, p: &mut Problems) -> Option<f64> {
    unit_interval(v, path, "a share from 0 to 1", p)
}

/// A share of time lost from 0 up to (not including) 1, 0 when not given
/// or refused: all of an agent's time lost would leave a pool without work.
pub(super) fn share_below_one(v: Option<&Spanned<f64>>, path: &str, p: &mut Problems) -> f64 {
    match v {
        None => 0.0,
        Some(x) if (0.0..1.0).contains(x.get_ref()) => *x.get_ref(),
        Some(x) => {
            p.add(
                path,
                span(x),
                format!(
                    "must be a share from 0 up to (not including) 1, got {}",
                    readable(*x.get_ref())
                ),
            );
            0.0
        }
    }
}

/// A finite number of 0 or more (`what` says which, e.g. "a non-negative
/// weight"), or `None` after noting the problem.
pub(super) fn non_negative(
    v: &Spanned<f64>,
    path: &str,
    what: &str,
    p: &mut Problems,
) -> Option<f64> {
    let x = *v.get_ref();
    if x.is_finite() && x >= 0.0 {
        Some(x)
    } else {
        p.add(
            path,
            span(v),
            format!("must be {what}, got {}", readable(x)),
        );
        None
    }
}

/// A multiplier from 0 to 100: 1 when not given or refused.
pub(super) fn multiplier(v: Option<&Spanned<f64>>, path: &str, p: &mut Problems) -> f64 {
    let Some(v) = v else {
        return 1.0;
    };
    let x = *v.get_ref();
    if x.is_finite() && (0.0..=100.0).contains(&x) {
        x
    } else {
        p.add(
            path,
            span(v),
            format!("must be a multiplier from 0 to 100, got {}", readable(x)),
        );
        1.0
    }
}

/// Multipliers per channel (1 where not given) from one number for every
/// channel (`1.1`) or a table per channel (`{ call = 1.2, email = 0.9 }`),
/// each above 0 and at most 100; a refused one is noted and left at 1.
pub(super) fn factors(
    v: Option<&Spanned<Factors>>,
    path: &str,
    p: &mut Problems,
) -> [f64; Channel::COUNT] {
    let mut out = [1.0; Channel::COUNT];
    let check = |x: f64, path: &str, at: Option<Range<usize>>, p: &mut Problems| {
        if x.is_finite() && x > 0.0 && x <= 100.0 {
            Some(x)
        } else {
            p.add(
                path,
                at,
                format!(
                    "must be a multiplier above 0 and at most 100, got {}",
                    readable(x)
                ),
            );
            None
        }
    };
    let Some(v) = v else {
        return out;
    };
    match v.get_ref() {
        NumberOr::Number(x) => {
            if let Some(x) = check(*x, path, span(v), p) {
                out = [x; Channel::COUNT];
            }
        }
        NumberOr::Table(per) => {
            for (name, x) in per {
                let cpath = format!("{path}.{name}");
                if let Some(c) = channel(name, &cpath, span(x), p)
                    && let Some(x) = check(*x.get_ref(), &cpath, span(x), p)
                {
                    out[c.index()] = x;
                }
            }
        }
    }
    out
}

/// The largest price a scenario takes, per handled second or per
/// agent-hour: a billion of any currency, far above any real price, and
/// small enough that every cost (at most 100,000 agents of a pool over
/// 36,600 days, summed over up to 10,000,000 replications, and squared for
/// its variance) stays a finite number: an infinite price made costs show
/// as "–" without a word.
pub const MAX_PRICE: f64 = 1e9;

/// A price (`what` says per what, e.g. "price per handled second") from 0
/// to [`MAX_PRICE`], or `None` after noting the problem.
pub(super) fn money(v: &Spanned<f64>, path: &str, what: &str, p: &mut Problems) -> Option<f64> {
    let x = non_negative(v, path, &format!("a non-negative {what}"), p)?;
    if x > MAX_PRICE {
        p.add(
            path,
            span(v),
            format!(
                "must be a {what} from 0 to {MAX_PRICE}, got {}",
                readable(x)
            ),
        );
        return None;
    }
    Some(x)
}

/// A price per handled second, when given and not refused.
pub(super) fn price(v: Option<&Spanned<f64>>, path: &str, p: &mut Problems) -> Option<f64> {
    money(v?, path, "price per handled second", p)
}

/// A whole number of `what` (agents, chats, attempts ...) within `range`,
/// which lies within 0 and `u32::MAX`, or `None` after noting the problem.
pub(super) fn whole(
    v: &Spanned<Whole>,
    range: RangeInclusive<Whole>,
    what: &str,
    path: &str,
    p: &mut Problems,
) -> Option<u32> {
    let n = *v.get_ref();
    if range.contains(&n) {
        u32::try_from(n).ok()
    } else {
        p.add(
            path,
            span(v),
            format!(
                "must be a whole number of {what} from {} to {}, got {n}",
                range.start(),
                range.end()
            ),
        );
        None
    }
}

/// The names of a `"*"`, `"name"` or `["a", "b"]` field, as written.
pub(super) fn names(n: &Names) -> Vec<String> {
    match n {
        Names::One(s) => vec![s.clone()],
        Names::Many(v) => v.clone(),
    }
}

/// The message for a name that is not among `known`: "unknown theme \"x\":
/// the themes are a, b" and the closest as a suggestion. `kind` is a noun
/// whose plural takes an s.
pub(super) fn unknown(kind: &str, name: &str, known: &[&str]) -> String {
    format!(
        "unknown {kind} \"{name}\": the {kind}s are {}{}",
        known.join(", "),
        did_you_mean(name, known.iter().copied())
    )
}

/// The channel a name stands for, or `None` after noting that it names none.
pub(super) fn channel(
    name: &str,
    path: &str,
    at: Option<Range<usize>>,
    p: &mut Problems,
) -> Option<Channel> {
    let channel = Channel::from_name(name);
    if channel.is_none() {
        p.add(
            path,
            at,
            format!(
                "unknown channel \"{name}\": use call, chat, email or visit{}",
                did_you_mean(name, ["call", "chat", "email", "visit"])
            ),
        );
    }
    channel
}

/// The weekdays of a key: one weekday (`mon`) or a range (`mon-fri`).
pub(super) fn weekday_keys(key: &str) -> Option<Vec<Weekday>> {
    if let Some(w) = Weekday::from_name(key) {
        return Some(vec![w]);
    }
    let (a, b) = key.split_once('-')?;
    let (a, b) = (Weekday::from_name(a)?, Weekday::from_name(b)?);
    (a.index() <= b.index()).then(|| Weekday::ALL[a.index()..=b.index()].to_vec())
}

/// The weekdays of a key, or `None` after noting that it names none.
pub(super) fn weekday_key(
    key: &str,
    path: &str,
    at: Option<Range<usize>>,
    p: &mut Problems,
) -> Option<Vec<Weekday>> {
    let days = weekday_keys(key);
    if days.is_none() {
        p.add(
            path,
            at,
            format!(
                "`{key}` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"
            ),
        );
    }
    days
}

/// Factors of 0 or more per weekday (Monday first) from `{ mon-fri = 1.0,
/// sat = 0.3 }`: `None` for a weekday not named. Later keys override
/// earlier ones; `what` names a factor in the message ("a non-negative weight").
pub(super) fn weekday_factors(
    map: &IndexMap<String, Spanned<f64>>,
    path: &str,
    what: &str,
    p: &mut Problems,
) -> [Option<f64>; 7] {
    let mut given = [None; 7];
    for (key, v) in map {
        let x = *v.get_ref();
        match weekday_keys(key) {
            None => p.add(
                format!("{path}.{key}"),
                span(v),
                format!(
                    "`{key}` is not a weekday: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"
                ),
            ),
            Some(_) if !(x.is_finite() && x >= 0.0) => p.add(
                format!("{path}.{key}"),
                span(v),
                format!("must be {what}, got {}", readable(x)),
            ),
            Some(days) => days.iter().for_each(|d| given[d.index()] = Some(x)),
        }
    }
    given
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value located at bytes 3..7, as serde would hand it over.
    fn at<T>(x: T) -> Spanned<T> {
        Spanned::new(3..7, x)
    }

    /// What `check` notes, as (path, span, message) triples.
    fn problems(check: impl FnOnce(&mut Problems)) -> Vec<(String, Option<Range<usize>>, String)> {
        let mut p = Problems::default();
        check(&mut p);
        p.list
            .into_iter()
            .map(|e| (e.path, e.span, e.message))
            .collect()
    }

    /// The one message `check` notes at `path` (and at the value's span).
    fn refused(path: &str, check: impl FnOnce(&mut Problems)) -> String {
        let mut list = problems(check);
        assert_eq!(list.len(), 1, "{list:?}");
        let (at_path, span, message) = list.remove(0);
        assert_eq!(at_path, path);
        assert_eq!(span, Some(3..7));
        message
    }

    #[test]
    fn shares_and_probabilities_lie_from_0_to_1() {
        let mut p = Problems::default();
        assert_eq!(share(&at(0.0), "x", &mut p), Some(0.0));
        assert_eq!(probability(&at(1.0), "x", &mut p), Some(1.0));
        assert!(p.list.is_empty());
        assert_eq!(
            refused("x.fill", |p| assert_eq!(share(&at(1.5), "x.fill", p), None)),
            "must be a share from 0 to 1, got 1.5"
        );
        assert_eq!(
            refused("x.accept", |p| {
                assert_eq!(probability(&at(-0.1), "x.accept", p), None);
            }),
            "must be a probability from 0 to 1 (0.6 for 60%), got -0.1"
        );
        assert_eq!(
            refused("t", |p| {
                assert_eq!(unit_interval(&at(f64::NAN), "t", "a target", p), None);
            }),
            "must be a target, got NaN"
        );
    }

    #[test]
    fn a_share_of_lost_time_stays_below_one() {
        let mut p = Problems::default();
        assert_eq!(share_below_one(None, "s", &mut p), 0.0);
        assert_eq!(share_below_one(Some(&at(0.3)), "s", &mut p), 0.3);
        assert!(p.list.is_empty());
        assert_eq!(
            refused("s", |p| assert_eq!(
                share_below_one(Some(&at(1.0)), "s", p),
                0.0
            )),
            "must be a share from 0 up to (not including) 1, got 1"
        );
    }

    #[test]
    fn non_negative_numbers_are_finite() {
        let mut p = Problems::default();
        assert_eq!(non_negative(&at(0.0), "w", "a weight", &mut p), Some(0.0));
        assert!(p.list.is_empty());
        assert_eq!(
            refused("w", |p| {
                assert_eq!(non_negative(&at(f64::INFINITY), "w", "a weight", p), None);
            }),
            "must be a weight, got inf"
        );
        assert_eq!(
            refused("w", |p| assert_eq!(
                non_negative(&at(-2.0), "w", "a weight", p),
                None
            )),
            "must be a weight, got -2"
        );
    }

    #[test]
    fn multipliers_lie_from_0_to_100_and_default_to_1() {
        let mut p = Problems::default();
        assert_eq!(multiplier(None, "m", &mut p), 1.0);
        assert_eq!(multiplier(Some(&at(100.0)), "m", &mut p), 100.0);
        assert!(p.list.is_empty());
        assert_eq!(
            refused("scale.volume", |p| {
                assert_eq!(multiplier(Some(&at(-1.0)), "scale.volume", p), 1.0);
            }),
            "must be a multiplier from 0 to 100, got -1"
        );
    }

    #[test]
    fn prices_are_non_negative() {
        let mut p = Problems::default();
        assert_eq!(price(None, "price", &mut p), None);
        assert_eq!(price(Some(&at(0.011)), "price", &mut p), Some(0.011));
        assert!(p.list.is_empty());
        assert_eq!(
            refused("price", |p| assert_eq!(
                price(Some(&at(-0.01)), "price", p),
                None
            )),
            "must be a non-negative price per handled second, got -0.01"
        );
        assert_eq!(price(Some(&at(1e9)), "price", &mut p), Some(1e9));
        assert_eq!(
            refused("price", |p| assert_eq!(
                price(Some(&at(1e308)), "price", p),
                None
            )),
            "must be a price per handled second from 0 to 1000000000, got 1e308"
        );
    }

    #[test]
    fn whole_numbers_lie_in_their_range() {
        let mut p = Problems::default();
        assert_eq!(whole(&at(20), 1..=20, "chats", "c", &mut p), Some(20));
        assert!(p.list.is_empty());
        assert_eq!(
            refused("c", |p| assert_eq!(
                whole(&at(0), 1..=20, "chats", "c", p),
                None
            )),
            "must be a whole number of chats from 1 to 20, got 0"
        );
        assert_eq!(
            refused("a", |p| {
                assert_eq!(whole(&at(100_001), 0..=100_000, "agents", "a", p), None);
            }),
            "must be a whole number of agents from 0 to 100000, got 100001"
        );
    }

    #[test]
    fn names_and_unknown_names() {
        assert_eq!(names(&Names::One("*".into())), ["*"]);
        assert_eq!(
            names(&Names::Many(vec!["a".into(), "b".into()])),
            ["a", "b"]
        );
        assert_eq!(
            unknown("theme", "generl", &["general", "taxes"]),
            "unknown theme \"generl\": the themes are general, taxes; did you mean `general`?"
        );
        assert_eq!(
            unknown("line", "x", &["main"]),
            "unknown line \"x\": the lines are main"
        );
    }

    #[test]
    fn channels_by_name() {
        let mut p = Problems::default();
        assert_eq!(channel("email", "c", None, &mut p), Some(Channel::Email));
        assert!(p.list.is_empty());
        assert_eq!(
            refused("c", |p| assert_eq!(
                channel("emial", "c", Some(3..7), p),
                None
            )),
            "unknown channel \"emial\": use call, chat, email or visit; did you mean `email`?"
        );
    }

    #[test]
    fn weekday_keys_are_days_or_ranges() {
        use Weekday::*;
        assert_eq!(weekday_keys("sat"), Some(vec![Sat]));
        assert_eq!(weekday_keys("mon-wed"), Some(vec![Mon, Tue, Wed]));
        assert_eq!(weekday_keys("fri-mon"), None);
        assert_eq!(weekday_keys("monday"), None);
        let mut p = Problems::default();
        assert_eq!(weekday_key("sun", "k", None, &mut p), Some(vec![Sun]));
        assert!(p.list.is_empty());
        assert_eq!(
            refused("hours.weekend", |p| {
                assert_eq!(weekday_key("weekend", "hours.weekend", Some(3..7), p), None);
            }),
            "`weekend` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"
        );
    }

    #[test]
    fn weekday_factors_take_later_keys_over_earlier_ones() {
        let map: IndexMap<String, Spanned<f64>> = [("mon-fri", 1.0), ("fri", 0.5), ("sun", 0.0)]
            .into_iter()
            .map(|(k, x)| (k.to_string(), at(x)))
            .collect();
        let mut p = Problems::default();
        let got = weekday_factors(&map, "w", "a weight", &mut p);
        assert!(p.list.is_empty());
        let (one, half) = (Some(1.0), Some(0.5));
        assert_eq!(got, [one, one, one, one, half, None, Some(0.0)]);
        let bad: IndexMap<String, Spanned<f64>> = [("weekend", 1.0), ("sat", -1.0)]
            .into_iter()
            .map(|(k, x)| (k.to_string(), at(x)))
            .collect();
        let noted = problems(|p| {
            assert_eq!(
                weekday_factors(&bad, "w", "a non-negative weight", p),
                [None; 7]
            );
        });
        assert_eq!(
            noted,
            [
                (
                    "w.weekend".to_string(),
                    Some(3..7),
                    "`weekend` is not a weekday: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri".to_string()
                ),
                (
                    "w.sat".to_string(),
                    Some(3..7),
                    "must be a non-negative weight, got -1".to_string()
                ),
            ]
        );
    }
}
