//! How volumes, weekday weights, intraday weights and peaks become expected
//! arrivals per interval.

use ccsim::model::{Channel, Model};
use ccsim::scenario;

fn model(text: &str) -> Model {
    scenario::parse_str(text, "test.toml", None)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

fn day_total(m: &Model, stream: usize, day: usize) -> f64 {
    let per_day = m.calendar.intervals_per_day as usize;
    m.streams[stream].expected[day * per_day..(day + 1) * per_day]
        .iter()
        .sum()
}

const BASE: &str = r#"
[horizon]
start = 2021-04-12   # a Monday
days = 14
[lines.main]
closed = [2021-04-14]   # a Wednesday
[themes.t]
volume.call = { per_month = 10000 }
volume.email = { per_day = 100 }
weekday_weights = { mon = 1.5, fri = 0.5 }
handle_time.call = { dist = "exponential", mean = "5m" }
handle_time.email = { dist = "exponential", mean = "5m" }
[pools.p]
agents = 5
skills = [{ themes = "*" }]
"#;

#[test]
fn per_month_is_spread_over_the_calendar() {
    let m = model(BASE);
    let call = m.stream_of(0, Channel::Call).unwrap();
    let total: f64 = m.streams[call].expected.iter().sum();
    // 14 days are 14 / 30.4375 of a month.
    assert!((total - 10_000.0 * 14.0 / 30.4375).abs() < 1e-6, "{total}");
    // Weights: mon 1.5, tue-thu 1 (not listed), fri 0.5: a Monday gets three
    // times a Friday; the closed Wednesday and the weekend get no calls.
    assert!((day_total(&m, call, 0) / day_total(&m, call, 4) - 3.0).abs() < 1e-9);
    assert_eq!(day_total(&m, call, 2), 0.0);
    assert_eq!(day_total(&m, call, 5), 0.0);
    // Calls only arrive in the opening hours, 09:00-19:00.
    let per_day = m.calendar.intervals_per_day as usize;
    let row = &m.streams[call].expected[..per_day];
    assert!(row[..18].iter().all(|&x| x == 0.0) && row[38..].iter().all(|&x| x == 0.0));
    assert!(row[18..38].iter().all(|&x| x > 0.0));
}

#[test]
fn email_keeps_arriving_on_closed_days() {
    let m = model(BASE);
    let email = m.stream_of(0, Channel::Email).unwrap();
    // per_day is an average working day (weights normalised to a Mon-Fri mean of 1).
    let mean_weekday = 100.0;
    let norm = (1.5 + 1.0 + 1.0 + 1.0 + 0.5) / 5.0;
    assert!((day_total(&m, email, 1) - mean_weekday * 1.0 / norm).abs() < 1e-9);
    // A Saturday and a Sunday get 0.25 of a weight-1 day, and so does the
    // closed Wednesday (a holiday counts as a Sunday).
    for day in [5, 6, 2] {
        assert!(
            (day_total(&m, email, day) - mean_weekday * 0.25 / norm).abs() < 1e-9,
            "day {day}"
        );
    }
    // E-mail arrives around the clock, evenly by default.
    let per_day = m.calendar.intervals_per_day as usize;
    let row = &m.streams[email].expected[per_day..2 * per_day];
    assert!(row.iter().all(|&x| (x - row[0]).abs() < 1e-12 && x > 0.0));
}

#[test]
fn peaks_multiply_the_volume_with_their_shape() {
    let text = BASE.replace(
        "weekday_weights = { mon = 1.5, fri = 0.5 }",
        "peaks = [{ from = 2021-04-19, to = 2021-04-22, factor = 3, shape = \"ramp\" }, { from = 2021-04-12, to = 2021-04-13, factor = 2, channels = [\"email\"] }]",
    );
    let m = model(&text);
    let call = m.stream_of(0, Channel::Call).unwrap();
    let email = m.stream_of(0, Channel::Email).unwrap();
    let plain = day_total(&m, call, 1);
    // Ramp over 4 days to x3: 1 + 2 * (k / 4) on day k = 1..4.
    for (k, day) in (7..11).enumerate() {
        let want = plain * (1.0 + 2.0 * (k as f64 + 1.0) / 4.0);
        assert!((day_total(&m, call, day) - want).abs() < 1e-9, "day {day}");
    }
    // The e-mail-only peak doubles e-mail, not calls.
    assert!((day_total(&m, email, 0) - 2.0 * day_total(&m, email, 11)).abs() < 1e-9);
    assert!((day_total(&m, call, 0) - plain).abs() < 1e-9);
}

#[test]
fn intraday_weights_shape_the_day() {
    let text = BASE.replace(
        "weekday_weights = { mon = 1.5, fri = 0.5 }",
        "intraday_weights = { start = \"09:00\", weights = [3, 1] }",
    );
    let m = model(&text);
    let call = m.stream_of(0, Channel::Call).unwrap();
    let per_day = m.calendar.intervals_per_day as usize;
    let row = &m.streams[call].expected[per_day..2 * per_day];
    // Only 09:00-10:00 has weight: three quarters in the first half hour.
    let day: f64 = row.iter().sum();
    assert!((row[18] - 0.75 * day).abs() < 1e-9 && (row[19] - 0.25 * day).abs() < 1e-9);
}

#[test]
fn scale_multiplies_volumes_and_staffing_in_whole_agents() {
    let base = model(BASE);
    let scaled = model(&format!(
        "{}\n[scale]\nvolume = 1.5\nagents = 0.5\n",
        BASE.replace("agents = 5", "agents = 5\nscale = 1.2")
    ));
    for (a, b) in base.streams.iter().zip(&scaled.streams) {
        for (x, y) in a.expected.iter().zip(&b.expected) {
            assert!((y - 1.5 * x).abs() < 1e-9);
        }
    }
    // 5 agents × 1.2 × 0.5 = 3 whole agents wherever 5 were scheduled.
    for (x, y) in base.pools[0]
        .scheduled
        .iter()
        .zip(&scaled.pools[0].scheduled)
    {
        assert_eq!(*y, if *x == 5.0 { 3.0 } else { 0.0 });
    }
    assert!(scaled.pools[0].available.iter().all(|&n| n == 0 || n == 3));
}

#[test]
fn a_negative_scale_names_the_field() {
    let text = format!("{BASE}\n[scale]\nvolume = -1\n");
    let err = scenario::parse_str(&text, "test.toml", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`scale.volume`: must be a multiplier from 0 to 100, got -1"),
        "{err}"
    );
}

/// A theme that starts on the second Monday of a 28-day horizon.
const STARTING: &str = r#"
[horizon]
start = 2021-04-12   # a Monday
days = 28
[themes.old]
volume.call = { per_day = 100 }
handle_time.call = { dist = "exponential", mean = "5m" }
[themes.new]
start = 2021-04-19
volume.call = { per_month = 6000 }
volume.email = { per_day = 50 }
handle_time.call = { dist = "exponential", mean = "5m" }
handle_time.email = { dist = "exponential", mean = "5m" }
[pools.p]
agents = 5
skills = [{ themes = "*" }]
"#;

#[test]
fn a_theme_start_means_no_contacts_before_it() {
    let m = model(STARTING);
    let call = m.stream_of(1, Channel::Call).unwrap();
    let email = m.stream_of(1, Channel::Email).unwrap();
    for d in 0..7 {
        assert_eq!(day_total(&m, call, d), 0.0, "call on day {d}");
        assert_eq!(day_total(&m, email, d), 0.0, "email on day {d}");
    }
    // From the start on, e-mail is the usual per_day (a Monday weighs 1).
    assert!((day_total(&m, email, 7) - 50.0).abs() < 1e-9);
    assert!(day_total(&m, call, 7) > 0.0);
    // The other theme is untouched.
    let old = m.stream_of(0, Channel::Call).unwrap();
    assert!((day_total(&m, old, 0) - 100.0).abs() < 1e-9);
}

#[test]
fn per_month_of_a_starting_theme_counts_its_active_days_only() {
    let m = model(STARTING);
    let call = m.stream_of(1, Channel::Call).unwrap();
    let total: f64 = m.streams[call].expected.iter().sum();
    // Active from day 8 to 28: 21 days of a 30.4375-day month.
    assert!((total - 6000.0 * 21.0 / 30.4375).abs() < 1e-6, "{total}");
    // Without a start the same volume spreads over all 28 days.
    let m = model(&STARTING.replace("start = 2021-04-19\n", ""));
    let total: f64 = m.streams[m.stream_of(1, Channel::Call).unwrap()]
        .expected
        .iter()
        .sum();
    assert!((total - 6000.0 * 28.0 / 30.4375).abs() < 1e-6, "{total}");
}

#[test]
fn a_theme_starting_before_the_horizon_is_active_from_its_first_day() {
    let m = model(&STARTING.replace("start = 2021-04-19", "start = 2021-01-01"));
    let call = m.stream_of(1, Channel::Call).unwrap();
    let total: f64 = m.streams[call].expected.iter().sum();
    assert!((total - 6000.0 * 28.0 / 30.4375).abs() < 1e-6, "{total}");
}

#[test]
fn a_theme_starting_after_the_horizon_is_an_error() {
    let text = STARTING.replace("start = 2021-04-19", "start = 2021-06-01");
    let e = scenario::parse_str(&text, "test.toml", None).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains(
            "`themes.new.start`: the theme starts (2021-06-01) after the horizon ends (2021-05-09)"
        ),
        "{msg}"
    );
}

#[test]
fn a_holiday_calendar_closes_the_line_like_the_listed_dates() {
    let text = |closed: &str| {
        format!(
            r#"
[horizon]
start = 2021-04-01
days = 91
[lines.l]
{closed}
[themes.t]
line = "l"
volume.call = {{ per_month = 10000 }}
volume.email = {{ per_day = 50 }}
handle_time.call = {{ dist = "exponential", mean = "5m" }}
handle_time.email = {{ dist = "exponential", mean = "5m" }}
[pools.p]
agents = 5
skills = [{{ themes = "*" }}]
"#
        )
    };
    // Q2 2021's Belgian holidays on weekdays and Saturday 1 May.
    let listed = model(&text(
        "closed = [2021-04-05, 2021-05-01, 2021-05-13, 2021-05-24]",
    ));
    let computed = model(&text("holidays = \"BE-VLG\""));
    assert_eq!(listed.streams, computed.streams);
    assert_eq!(listed.pools, computed.pools);
    // Beyond the horizon too, for e-mail deadlines: 11 July (Flemish
    // Community) and Christmas of the next year are closed.
    let line = &computed.lines[0];
    for date in ["2021-07-11", "2021-07-21", "2022-12-25"] {
        let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        assert!(line.closed.contains(&d), "{date}");
    }
    let err = scenario::parse_str(&text("holidays = \"BE-WAL\""), "test.toml", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`lines.l.holidays`: unknown holiday calendar \"BE-WAL\": use BE or BE-VLG"),
        "{err}"
    );
}

const WAVE: &str = r#"
[horizon]
start = 2021-06-07   # a Monday
days = 14
[themes.tax]
volume.call = { per_day = 0 }
volume.email = { per_day = 0 }
handle_time.call = { dist = "exponential", mean = "5m" }
handle_time.email = { dist = "exponential", mean = "5m" }
mailings = [{ sent = 2021-06-07, letters = 100000, response = { call = 0.05, email = 0.01 }, half_life_days = 1 }]
[pools.p]
agents = 5
skills = [{ themes = "*" }]
"#;

#[test]
fn a_mailing_wave_decays_over_the_following_working_days() {
    let m = model(WAVE);
    let call = m.stream_of(0, Channel::Call).unwrap();
    let email = m.stream_of(0, Channel::Email).unwrap();
    // Half-life of one day: the first day after sending gets half of the
    // 5,000 calls, the next working day a quarter, and so on.
    assert_eq!(day_total(&m, call, 0), 0.0);
    assert!((day_total(&m, call, 1) - 2500.0).abs() < 1e-6);
    assert!((day_total(&m, call, 2) - 1250.0).abs() < 1e-6);
    // Calls skip the weekend (days 5 and 6): Friday (day 4) gets 1/16 and
    // the next Monday (day 7) 1/32.
    assert!((day_total(&m, call, 4) - 5000.0 / 16.0).abs() < 1e-6);
    assert_eq!(day_total(&m, call, 5), 0.0);
    assert!((day_total(&m, call, 7) - 5000.0 / 32.0).abs() < 1e-6);
    // E-mails keep coming at the weekend: Saturday is the 5th day after sending.
    assert!((day_total(&m, email, 5) - 1000.0 / 32.0).abs() < 1e-6);
    // Nine working days of the horizon follow the sending: the rest of the
    // wave (1/512) would come after the horizon and is not simulated.
    let calls: f64 = m.streams[call].expected.iter().sum();
    assert!(
        (calls - 5000.0 * (1.0 - 0.5f64.powi(9))).abs() < 1e-6,
        "{calls}"
    );
}

#[test]
fn deflection_takes_its_share_of_volume_and_waves() {
    let base = model(WAVE);
    let deflected = model(&WAVE.replace("mailings = [", "deflection = 0.3\nmailings = ["));
    for (a, b) in base.streams.iter().zip(&deflected.streams) {
        for (x, y) in a.expected.iter().zip(&b.expected) {
            assert!((y - 0.7 * x).abs() < 1e-9);
        }
    }
    let err = |text: &str| {
        scenario::parse_str(text, "test.toml", None)
            .unwrap_err()
            .to_string()
    };
    let e = err(&WAVE.replace("mailings = [", "deflection = 1.5\nmailings = ["));
    assert!(
        e.contains("`themes.tax.deflection`: must be a share from 0 to 1, got 1.5"),
        "{e}"
    );
    let e = err(&WAVE.replace("email = 0.01", "chat = 0.01"));
    assert!(
        e.contains("`themes.tax.mailings[0].response.chat`: the theme has no volume.chat"),
        "{e}"
    );
}
