//! The checker of a distribution field (handle times, patience, delays):
//! `{ dist = "lognormal", mean = "5m", cv = 0.8 }` becomes a
//! [`Distribution`] when its family is known, it has the fields that family
//! takes and no other, and the parameters make sense.

use std::ops::Range;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::model::Distribution;
use crate::model::distribution::readable;
use crate::model::distribution::{empirical_from_csv, erlang_from_cv};
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::DistributionSpec;

use super::fields::{span, whole};

/// A family of distributions, as `dist` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Exponential,
    Lognormal,
    Gamma,
    Erlang,
    Weibull,
    Uniform,
    Constant,
    Empirical,
}

impl Family {
    /// Every family, in the order the messages list them.
    const ALL: [Family; 8] = [
        Family::Exponential,
        Family::Lognormal,
        Family::Gamma,
        Family::Erlang,
        Family::Weibull,
        Family::Uniform,
        Family::Constant,
        Family::Empirical,
    ];

    /// The name written as `dist`.
    fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Erlang => "erlang",
            Family::Weibull => "weibull",
            Family::Uniform => "uniform",
            Family::Constant => "constant",
            Family::Empirical => "empirical",
        }
    }

    /// The fields the family takes besides `dist`.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Family::Exponential => &["mean"],
            Family::Lognormal | Family::Gamma | Family::Weibull => &["mean", "cv"],
            Family::Erlang => &["mean", "k", "cv"],
            Family::Uniform => &["min", "max"],
            Family::Constant => &["value"],
            Family::Empirical => &["values", "file", "column"],
        }
    }
}

/// "a" or "an" before a word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Builds a distribution from what the planner wrote; `None` after noting
/// problems. `base_dir` resolves the file of an empirical distribution.
pub fn distribution(
    s: &Spanned<DistributionSpec>,
    path: &str,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> Option<Distribution> {
    let d = s.get_ref();
    let before = p.list.len();
    let kind = d.dist.get_ref().as_str();
    let Some(family) = Family::ALL.into_iter().find(|f| f.name() == kind) else {
        let names = Family::ALL.map(Family::name);
        p.add(
            format!("{path}.dist"),
            span(&d.dist),
            format!(
                "unknown distribution \"{kind}\": use exponential, lognormal, gamma, erlang, weibull, uniform, constant or empirical{}",
                did_you_mean(kind, names)
            ),
        );
        return None;
    };
    refuse_foreign_fields(s, family, path, p);
    let dist = build(s, family, path, base_dir, p)?;
    if p.list.len() > before {
        return None;
    }
    if let Err(e) = dist.validate() {
        p.add(path, span(s), e.to_string());
        return None;
    }
    Some(dist)
}

/// Notes every field given that `family` does not take.
fn refuse_foreign_fields(
    s: &Spanned<DistributionSpec>,
    family: Family,
    path: &str,
    p: &mut Problems,
) {
    let d = s.get_ref();
    let given: [(&str, Option<Range<usize>>); 9] = [
        ("mean", d.mean.as_ref().map(|x| x.span())),
        ("cv", d.cv.as_ref().map(|x| x.span())),
        ("k", d.k.as_ref().map(|x| x.span())),
        ("value", d.value.as_ref().map(|x| x.span())),
        ("min", d.min.as_ref().map(|x| x.span())),
        ("max", d.max.as_ref().map(|x| x.span())),
        ("values", d.values.as_ref().map(|x| x.span())),
        ("file", d.file.as_ref().map(|x| x.span())),
        // `column` is a plain string: point at the whole distribution.
        ("column", d.column.as_ref().map(|_| s.span())),
    ];
    let (kind, allowed) = (family.name(), family.fields());
    for (field, at) in given {
        if at.is_some() && !allowed.contains(&field) {
            p.add(
                format!("{path}.{field}"),
                at,
                format!(
                    "`{field}` does not apply to {} {kind} distribution (it takes {})",
                    article(kind),
                    allowed.join(", ")
                ),
            );
        }
    }
}

/// A parameter the family needs: its value, or NaN after noting that it is missing.
fn needed(
    s: &Spanned<DistributionSpec>,
    family: Family,
    field: &str,
    value: Option<f64>,
    path: &str,
    p: &mut Problems,
) -> f64 {
    value.unwrap_or_else(|| {
        let kind = family.name();
        p.add(
            path,
            span(s),
            format!("{} {kind} distribution needs `{field}`", article(kind)),
        );
        f64::NAN
    })
}

/// The distribution of `family` from its parameters; a missing one is
/// noted, and left NaN so that every missing one is noted.
fn build(
    s: &Spanned<DistributionSpec>,
    family: Family,
    path: &str,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> Option<Distribution> {
    let d = s.get_ref();
    let need = |field: &str, value: Option<f64>, p: &mut Problems| {
        needed(s, family, field, value, path, p)
    };
    let mean = d.mean.as_ref().map(|m| m.get_ref().0);
    let cv = d.cv.as_ref().map(|m| *m.get_ref());
    Some(match family {
        Family::Exponential => Distribution::Exponential {
            mean: need("mean", mean, p),
        },
        Family::Lognormal => Distribution::Lognormal {
            mean: need("mean", mean, p),
            cv: need("cv", cv, p),
        },
        Family::Gamma => Distribution::Gamma {
            mean: need("mean", mean, p),
            cv: need("cv", cv, p),
        },
        Family::Weibull => Distribution::Weibull {
            mean: need("mean", mean, p),
            cv: need("cv", cv, p),
        },
        Family::Erlang => return erlang(s, need("mean", mean, p), path, p),
        Family::Uniform => Distribution::Uniform {
            min: need("min", d.min.as_ref().map(|x| x.get_ref().0), p),
            max: need("max", d.max.as_ref().map(|x| x.get_ref().0), p),
        },
        Family::Constant => Distribution::Constant {
            value: need("value", d.value.as_ref().map(|x| x.get_ref().0), p),
        },
        Family::Empirical => return empirical(s, path, base_dir, p),
    })
}

/// An erlang distribution of `mean`: exactly one of `k` (phases) or `cv`.
fn erlang(
    s: &Spanned<DistributionSpec>,
    mean: f64,
    path: &str,
    p: &mut Problems,
) -> Option<Distribution> {
    let d = s.get_ref();
    match (&d.k, d.cv.as_ref().map(|m| *m.get_ref())) {
        (Some(k), None) => {
            let k = whole(k, 1..=1000, "phases", &format!("{path}.k"), p)?;
            Some(Distribution::Erlang { mean, k })
        }
        (None, Some(c)) if c.is_finite() && (0.0316..=1.0).contains(&c) => {
            Some(erlang_from_cv(mean, c))
        }
        (None, Some(c)) => {
            p.add(
                format!("{path}.cv"),
                d.cv.as_ref().map(|x| x.span()),
                format!(
                    "an erlang distribution has a cv from 0.0316 (1000 phases) to 1 (one phase), got {}",
                    readable(c)
                ),
            );
            None
        }
        _ => {
            p.add(
                path,
                span(s),
                "an erlang distribution needs exactly one of `k` (phases) or `cv`",
            );
            None
        }
    }
}

/// An empirical distribution: observed values, listed or read from a CSV
/// file (relative to `base_dir`), sorted.
fn empirical(
    s: &Spanned<DistributionSpec>,
    path: &str,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> Option<Distribution> {
    let d = s.get_ref();
    let mut values: Vec<f64> = match (&d.values, &d.file) {
        (Some(v), None) => v.get_ref().iter().map(|x| x.0).collect(),
        (None, Some(f)) => {
            let file = base_dir.map_or_else(
                || Path::new(f.get_ref()).to_path_buf(),
                |b| b.join(f.get_ref()),
            );
            let read = std::fs::read(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))
                .and_then(|bytes| {
                    let values = empirical_from_csv(bytes.as_slice(), d.column.as_deref())
                        .map_err(|e| format!("{}: {e}", file.display()))?;
                    let digest = format!("{:x}", Sha256::digest(&bytes));
                    p.files_read.push((f.get_ref().clone(), digest));
                    Ok(values)
                });
            match read {
                Ok(v) => v,
                Err(e) => {
                    p.add(format!("{path}.file"), span(f), e);
                    return None;
                }
            }
        }
        _ => {
            p.add(
                path,
                span(s),
                "an empirical distribution needs exactly one of `values` (a list) or `file` (a CSV)",
            );
            return None;
        }
    };
    values.sort_by(f64::total_cmp);
    Some(Distribution::Empirical { values })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A distribution spec from its TOML, located as a scenario would locate it.
    fn spec(text: &str) -> Spanned<DistributionSpec> {
        #[derive(serde::Deserialize)]
        struct Holder {
            d: Spanned<DistributionSpec>,
        }
        let holder: Holder = toml::from_str(&format!("d = {text}")).expect("valid TOML");
        holder.d
    }

    /// The distribution, or every (path, message) noted.
    fn check(text: &str) -> Result<Distribution, Vec<(String, String)>> {
        let mut p = Problems::default();
        let got = distribution(&spec(text), "d", None, &mut p);
        let noted: Vec<_> = p.list.into_iter().map(|e| (e.path, e.message)).collect();
        match got {
            Some(d) if noted.is_empty() => Ok(d),
            Some(d) => panic!("{d:?} with problems {noted:?}"),
            None => Err(noted),
        }
    }

    fn refused(path: &str, message: &str) -> Result<Distribution, Vec<(String, String)>> {
        Err(vec![(path.to_string(), message.to_string())])
    }

    #[test]
    fn families_with_their_parameters_are_accepted() {
        assert_eq!(
            check(r#"{ dist = "exponential", mean = "3m" }"#),
            Ok(Distribution::Exponential { mean: 180.0 })
        );
        assert_eq!(
            check(r#"{ dist = "lognormal", mean = 240, cv = 0.8 }"#),
            Ok(Distribution::Lognormal {
                mean: 240.0,
                cv: 0.8
            })
        );
        assert_eq!(
            check(r#"{ dist = "erlang", mean = "1m", k = 3 }"#),
            Ok(Distribution::Erlang { mean: 60.0, k: 3 })
        );
        assert_eq!(
            check(r#"{ dist = "uniform", min = "1m", max = "2m" }"#),
            Ok(Distribution::Uniform {
                min: 60.0,
                max: 120.0
            })
        );
        assert_eq!(
            check(r#"{ dist = "empirical", values = [30, "10s", 20] }"#),
            Ok(Distribution::Empirical {
                values: vec![10.0, 20.0, 30.0]
            })
        );
    }

    #[test]
    fn an_unknown_family_gets_the_closest_name() {
        assert_eq!(
            check(r#"{ dist = "lognorm", mean = "3m" }"#),
            refused(
                "d.dist",
                "unknown distribution \"lognorm\": use exponential, lognormal, gamma, erlang, weibull, uniform, constant or empirical; did you mean `lognormal`?"
            )
        );
    }

    #[test]
    fn fields_are_those_of_the_family() {
        assert_eq!(
            check(r#"{ dist = "exponential", mean = "3m", cv = 1 }"#),
            refused(
                "d.cv",
                "`cv` does not apply to an exponential distribution (it takes mean)"
            )
        );
        assert_eq!(
            check(r#"{ dist = "gamma", mean = "3m" }"#),
            refused("d", "a gamma distribution needs `cv`")
        );
        assert_eq!(
            check(r#"{ dist = "constant" }"#),
            refused("d", "a constant distribution needs `value`")
        );
        assert_eq!(
            check(r#"{ dist = "weibull", cv = 0.5, column = "x" }"#),
            Err(vec![
                (
                    "d.column".to_string(),
                    "`column` does not apply to a weibull distribution (it takes mean, cv)"
                        .to_string()
                ),
                (
                    "d".to_string(),
                    "a weibull distribution needs `mean`".to_string()
                ),
            ])
        );
    }

    #[test]
    fn erlang_takes_phases_or_a_cv() {
        assert_eq!(
            check(r#"{ dist = "erlang", mean = "1m", k = 0 }"#),
            refused(
                "d.k",
                "must be a whole number of phases from 1 to 1000, got 0"
            )
        );
        assert_eq!(
            check(r#"{ dist = "erlang", mean = "1m", cv = 2 }"#),
            refused(
                "d.cv",
                "an erlang distribution has a cv from 0.0316 (1000 phases) to 1 (one phase), got 2"
            )
        );
        assert_eq!(
            check(r#"{ dist = "erlang", mean = "1m" }"#),
            refused(
                "d",
                "an erlang distribution needs exactly one of `k` (phases) or `cv`"
            )
        );
    }

    #[test]
    fn empirical_takes_values_or_a_file() {
        assert_eq!(
            check(r#"{ dist = "empirical" }"#),
            refused(
                "d",
                "an empirical distribution needs exactly one of `values` (a list) or `file` (a CSV)"
            )
        );
        let Err(noted) = check(r#"{ dist = "empirical", file = "no-such-file.csv" }"#) else {
            panic!("a missing file is refused");
        };
        assert_eq!(noted[0].0, "d.file");
        assert!(
            noted[0].1.starts_with("cannot read no-such-file.csv: "),
            "{}",
            noted[0].1
        );
    }

    #[test]
    fn parameters_must_make_sense() {
        assert_eq!(
            check(r#"{ dist = "uniform", min = "2m", max = "1m" }"#),
            refused("d", "uniform min must be below max, got min 120 and max 60")
        );
    }
}
