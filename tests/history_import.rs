//! History import: the sample files of `examples/history/formats/` read to
//! their exact values, and every kind of bad input rejected with its exact
//! message (or accepted with its exact warning), never a panic.

use std::path::{Path, PathBuf};

use ccsim::history::{
    Contact, HistoryError, IntervalHistory, IntervalRow, Kind, Mapping, Outcome, detect,
    read_contacts, read_intervals,
};
use ccsim::model::Channel;
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

const FORMATS: &str = "examples/history/formats";

fn sample(name: &str) -> PathBuf {
    Path::new(FORMATS).join(name)
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn contacts(path: &Path, mapping: &Mapping) -> Result<(Vec<Contact>, Vec<String>), HistoryError> {
    let mut all = Vec::new();
    let read = read_contacts(path, mapping, |c| all.push(c.clone()))?;
    assert_eq!(read.rows as usize, all.len());
    assert_eq!(read.first, all.iter().map(|c| c.arrival).min());
    assert_eq!(read.last, all.iter().map(|c| c.arrival).max());
    Ok((all, read.warnings))
}

#[allow(clippy::too_many_arguments)]
fn contact(
    id: u64,
    caller: Option<u64>,
    line: &str,
    theme: &str,
    channel: Channel,
    arrival: &str,
    outcome: Outcome,
    wait: f64,
    handle: Option<f64>,
    pool: Option<&str>,
) -> Contact {
    Contact {
        contact: id,
        caller,
        line: line.to_string(),
        theme: theme.to_string(),
        channel,
        arrival: t(arrival),
        outcome,
        wait,
        handle,
        pool: pool.map(str::to_string),
    }
}

#[test]
fn reads_the_ccsim_contact_log_sample() {
    let path = sample("contacts.csv");
    assert_eq!(detect(&path, &Mapping::ccsim()).unwrap(), Kind::Contacts);
    let (all, warnings) = contacts(&path, &Mapping::ccsim()).unwrap();
    use Channel::*;
    use Outcome::*;
    let v = "vaccination";
    let x = "traffic_tax";
    assert_eq!(
        all,
        [
            contact(
                3,
                Some(3),
                "1700",
                v,
                Call,
                "2023-03-06 09:00:41.250",
                Blocked,
                0.0,
                None,
                None
            ),
            contact(
                1,
                Some(1),
                "1700",
                v,
                Call,
                "2023-03-06 09:00:12",
                Answered,
                4.125,
                Some(312.5),
                Some("frontline")
            ),
            contact(
                2,
                Some(2),
                "1700",
                x,
                Chat,
                "2023-03-06 09:00:30.500",
                Abandoned,
                61.0,
                None,
                None
            ),
            contact(
                5,
                Some(1),
                "1700",
                v,
                Call,
                "2023-03-06 09:02:10",
                Answered,
                0.0,
                Some(188.25),
                Some("frontline")
            ),
            contact(
                6,
                Some(6),
                "1700",
                v,
                Call,
                "2023-03-06 09:03:00",
                SentAway,
                0.0,
                None,
                None
            ),
            contact(
                4,
                None,
                "1700",
                x,
                Email,
                "2023-03-06 08:55:00",
                Answered,
                2710.0,
                Some(420.0),
                Some("backoffice")
            ),
            contact(
                7,
                Some(7),
                "1700",
                x,
                Call,
                "2023-03-06 18:58:00",
                Callback,
                45.5,
                None,
                None
            ),
            contact(
                8,
                Some(8),
                "1700",
                v,
                Call,
                "2023-03-06 18:59:30",
                ClosedOut,
                30.0,
                None,
                None
            ),
            contact(
                9,
                Some(9),
                "1700",
                v,
                Call,
                "2023-03-06 18:59:50",
                Waiting,
                10.0,
                None,
                None
            ),
        ]
    );
    assert!(warnings.is_empty());
}

#[test]
fn reads_the_acd_contact_export_across_the_end_of_daylight_saving() {
    let path = sample("acd-contacts.csv");
    let mapping = Mapping::load(&sample("acd-contacts.toml")).unwrap();
    assert_eq!(detect(&path, &mapping).unwrap(), Kind::Contacts);
    let (all, warnings) = contacts(&path, &mapping).unwrap();
    use Channel::*;
    use Outcome::*;
    let v = "vaccination";
    let x = "traffic_tax";
    assert_eq!(
        all,
        [
            // 22:15:07 UTC on the 28th is 00:15:07 CEST (UTC+2) on the 29th.
            contact(
                100001,
                Some(3247001),
                "",
                v,
                Call,
                "2023-10-29 00:15:07",
                Answered,
                12.5,
                Some(275.5),
                Some("Frontline")
            ),
            // 00:30 UTC: 02:30 CEST, the first pass of the repeated hour ...
            contact(
                100002,
                None,
                "",
                x,
                Call,
                "2023-10-29 02:30:00",
                Abandoned,
                48.2,
                None,
                None
            ),
            // ... 01:30 UTC: 02:30 CET (UTC+1), the second pass.
            contact(
                100003,
                Some(3247001),
                "",
                v,
                Call,
                "2023-10-29 02:30:00",
                Answered,
                3.0,
                Some(200.5),
                Some("Frontline")
            ),
            // An empty wrap-up column: the handle time is the talk time.
            contact(
                100004,
                Some(3247002),
                "",
                x,
                Chat,
                "2023-10-29 08:59:59",
                Answered,
                61.0,
                Some(400.0),
                Some("Backoffice")
            ),
            // Blocked with an empty wait: waited 0 s.
            contact(
                100005,
                None,
                "",
                x,
                Call,
                "2023-10-29 09:10:00",
                Blocked,
                0.0,
                None,
                None
            ),
            contact(
                100006,
                Some(3247003),
                "",
                v,
                Call,
                "2023-10-30 09:00:00",
                Callback,
                95.0,
                None,
                None
            ),
        ]
    );
    // UTC timestamps are exact instants: no warning about the repeated hour.
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[allow(clippy::too_many_arguments)]
fn row(
    date: &str,
    start: &str,
    theme: &str,
    channel: Channel,
    counts: [u64; 3],
    within: Option<u64>,
    averages: [Option<f64>; 3],
    agents: Option<f64>,
) -> IntervalRow {
    let (h, m) = start.split_once(':').unwrap();
    IntervalRow {
        date: day(date),
        start: h.parse::<u32>().unwrap() * 3600 + m.parse::<u32>().unwrap() * 60,
        theme: theme.to_string(),
        channel,
        offered: counts[0],
        answered: counts[1],
        abandoned: counts[2],
        answered_within: within,
        handle_time: averages[0],
        asa: averages[1],
        abandon_wait: averages[2],
        agents,
    }
}

#[test]
fn reads_the_ccsim_interval_report_sample() {
    let path = sample("intervals.csv");
    assert_eq!(detect(&path, &Mapping::ccsim()).unwrap(), Kind::Intervals);
    let h = read_intervals(&path, &Mapping::ccsim()).unwrap();
    let (d, v, x) = ("2023-03-06", "vaccination", "traffic_tax");
    use Channel::*;
    assert_eq!(
        h,
        IntervalHistory {
            interval: 1800,
            thresholds: [Some(20), Some(60), None, None],
            rows: vec![
                row(
                    d,
                    "09:00",
                    x,
                    Call,
                    [18, 16, 2],
                    Some(12),
                    [Some(284.5), Some(17.2), Some(41.0)],
                    Some(4.5)
                ),
                row(
                    d,
                    "09:00",
                    v,
                    Call,
                    [42, 38, 3],
                    Some(30),
                    [Some(305.2), Some(14.8), Some(48.3)],
                    Some(12.5)
                ),
                row(
                    d,
                    "09:00",
                    v,
                    Chat,
                    [9, 8, 1],
                    Some(7),
                    [Some(520.0), Some(22.0), Some(90.0)],
                    Some(2.0)
                ),
                row(
                    d,
                    "09:30",
                    x,
                    Call,
                    [15, 15, 0],
                    Some(14),
                    [Some(270.0), Some(6.1), None],
                    Some(4.0)
                ),
                row(
                    d,
                    "09:30",
                    v,
                    Call,
                    [51, 44, 6],
                    Some(28),
                    [Some(310.4), Some(29.5), Some(55.0)],
                    Some(12.5)
                ),
                row(
                    d,
                    "09:30",
                    v,
                    Chat,
                    [11, 11, 0],
                    Some(11),
                    [Some(505.5), Some(12.0), None],
                    Some(2.0)
                ),
                row(
                    d,
                    "10:00",
                    x,
                    Call,
                    [0, 0, 0],
                    Some(0),
                    [None, None, None],
                    Some(4.0)
                ),
                row(
                    d,
                    "10:00",
                    v,
                    Call,
                    [47, 45, 2],
                    Some(39),
                    [Some(298.0), Some(9.7), Some(38.5)],
                    Some(13.0)
                ),
            ],
            warnings: vec![],
        }
    );
}

#[test]
fn reads_the_acd_interval_report_and_sums_the_repeated_hour() {
    let path = sample("acd-intervals.csv");
    let mapping = Mapping::load(&sample("acd-intervals.toml")).unwrap();
    assert_eq!(detect(&path, &mapping).unwrap(), Kind::Intervals);
    let h = read_intervals(&path, &mapping).unwrap();
    let (d, n) = ("2023-10-29", "night_line");
    use Channel::Call;
    assert_eq!(h.interval, 1800);
    assert_eq!(h.thresholds, [Some(20); 4]);
    assert_eq!(
        h.rows,
        [
            row(
                d,
                "01:30",
                n,
                Call,
                [6, 6, 0],
                Some(6),
                [Some(300.0), Some(5.0), None],
                Some(2.0)
            ),
            // 4 + 6 offered; handle time (300 × 3 + 360 × 5) / 8; ASA
            // (10 × 3 + 22 × 5) / 8; abandon wait (40 + 80) / 2; agents 2 + 1.5.
            row(
                d,
                "02:00",
                n,
                Call,
                [10, 8, 2],
                Some(7),
                [Some(337.5), Some(17.5), Some(60.0)],
                Some(3.5)
            ),
            row(
                d,
                "02:30",
                n,
                Call,
                [5, 5, 0],
                Some(5),
                [Some(312.0), Some(3.2), None],
                Some(3.5)
            ),
            row(
                d,
                "03:00",
                n,
                Call,
                [1, 1, 0],
                Some(1),
                [Some(420.0), Some(1.0), None],
                Some(1.0)
            ),
        ]
    );
    assert_eq!(
        h.warnings,
        [format!(
            "{}: 2023-10-29: the hour 02:00–03:00 happens twice in Europe/Brussels (end of daylight saving); 2 intervals of it appear twice and each pair was summed into one",
            path.display()
        )]
    );
}

// ---- bad input -------------------------------------------------------------

struct Files(tempfile::TempDir);

impl Files {
    fn new() -> Files {
        Files(tempfile::tempdir().unwrap())
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn mapping(&self, text: &str) -> Mapping {
        let path = self.write("mapping.toml", text);
        Mapping::load(&path).unwrap()
    }
}

const LOG_HEADER: &str = "contact,caller,line,theme,channel,arrival,outcome,wait,handle,pool\n";
const REPORT_HEADER: &str = "date,interval,theme,channel,offered,answered,abandoned\n";

fn contact_error(path: &Path, mapping: &Mapping) -> String {
    read_contacts(path, mapping, |_| {})
        .unwrap_err()
        .to_string()
}

fn interval_error(path: &Path, mapping: &Mapping) -> String {
    read_intervals(path, mapping).unwrap_err().to_string()
}

#[test]
fn a_malformed_field_names_file_line_column_expected_and_found() {
    let f = Files::new();
    let path = f.write(
        "log.csv",
        format!("{LOG_HEADER}1,1,1700,v,call,2023-03-06T09:00:00.000,abandoned,-3,,\n"),
    );
    let p = path.display();
    let ccsim = Mapping::ccsim();
    assert_eq!(
        contact_error(&path, &ccsim),
        format!("{p}:2: column `wait`: expected seconds >= 0, found `-3`")
    );
    let cases = [
        (
            "x,1,1700,v,call,2023-03-06T09:00:00,answered,1,2,p",
            "column `contact`: expected a contact id (an integer >= 0), found `x`",
        ),
        (
            "1,1,1700,v,call,2023-03-06 9:00,answered,1,2,p",
            "column `arrival`: expected a timestamp YYYY-MM-DDTHH:MM:SS[.sss], found `2023-03-06 9:00`",
        ),
        (
            "1,1,1700,v,call,2023-02-30T09:00:00,answered,1,2,p",
            "column `arrival`: expected a timestamp YYYY-MM-DDTHH:MM:SS[.sss], found `2023-02-30T09:00:00`",
        ),
        (
            "1,1,1700,v,phone,2023-03-06T09:00:00,answered,1,2,p",
            "column `channel`: expected one of call, chat, email, visit, found `phone`",
        ),
        (
            "1,1,1700,v,call,2023-03-06T09:00:00,hung_up,1,2,p",
            "column `outcome`: expected one of answered, abandoned, blocked, closed_out, sent_away, callback, waiting, found `hung_up`",
        ),
        (
            "1,1,1700,v,call,2023-03-06T09:00:00,answered,1,NaN,p",
            "column `handle`: expected seconds >= 0, found `NaN`",
        ),
        (
            "1,1,1700,,call,2023-03-06T09:00:00,answered,1,2,p",
            "column `theme`: expected a theme or queue name, found ``",
        ),
        (
            "1,1,1700,v,call,2023-03-06T09:00:00Z,answered,1,2,p",
            "column `arrival`: a timestamp in UTC or with an offset needs `time_zone` in the mapping, to convert it to local time",
        ),
        (
            "1,1,1700,v,call,2023-03-06T09:00:00,answered,1,2",
            "expected 10 fields as in the header, found 9",
        ),
    ];
    for (line, message) in cases {
        let path = f.write("case.csv", format!("{LOG_HEADER}{line}\n"));
        assert_eq!(
            contact_error(&path, &ccsim),
            format!("{}:2: {message}", path.display()),
            "{line}"
        );
    }
}

#[test]
fn unknown_values_of_a_mapping_name_the_known_ones() {
    let f = Files::new();
    let mapping = f.mapping(
        "kind = \"contacts\"\ndelimiter = \";\"\ndecimal_comma = true\nchannel = \"call\"\n[outcomes]\nANS = \"answered\"\nABN = \"abandoned\"\n[channels]\nVoice = \"call\"\n",
    );
    let header = "contact;theme;arrival;outcome;wait;channel\n";
    let path = f.write(
        "a.csv",
        format!("{header}1;q;2023-03-06T09:00:00;ANSWER;1,5;Voice\n"),
    );
    assert_eq!(
        contact_error(&path, &mapping),
        format!(
            "{}:2: column `outcome`: expected one of ANS, ABN, answered, abandoned, blocked, closed_out, sent_away, callback, waiting, found `ANSWER`",
            path.display()
        )
    );
    let path = f.write(
        "a.csv",
        format!("{header}1;q;2023-03-06T09:00:00;ans;1,5;Fax\n"),
    );
    assert_eq!(
        contact_error(&path, &mapping),
        format!(
            "{}:2: column `channel`: expected one of Voice, call, chat, email, visit, found `Fax`",
            path.display()
        )
    );
    // Values match without regard to case; an empty channel is the default one.
    let path = f.write(
        "a.csv",
        format!("{header}1;q;2023-03-06T09:00:00;abn;1,5;\n"),
    );
    let (all, _) = contacts(&path, &mapping).unwrap();
    assert_eq!(
        (all[0].outcome, all[0].channel, all[0].wait),
        (Outcome::Abandoned, Channel::Call, 1.5)
    );
    // A decimal point where the mapping says decimal comma.
    let path = f.write(
        "a.csv",
        format!("{header}1;q;2023-03-06T09:00:00;abn;1.5;\n"),
    );
    assert_eq!(
        contact_error(&path, &mapping),
        format!(
            "{}:2: column `wait`: expected seconds >= 0, found `1.5`",
            path.display()
        )
    );
}

#[test]
fn empty_header_only_bom_and_crlf_files() {
    let f = Files::new();
    let ccsim = Mapping::ccsim();
    let path = f.write("empty.csv", "");
    let p = path.display().to_string();
    assert_eq!(
        contact_error(&path, &ccsim),
        format!("{p}: the file is empty: expected a header line")
    );
    assert_eq!(
        interval_error(&path, &ccsim),
        format!("{p}: the file is empty: expected a header line")
    );
    assert_eq!(
        detect(&path, &ccsim).unwrap_err().to_string(),
        format!("{p}: the file is empty: expected a header line")
    );

    let path = f.write("header.csv", LOG_HEADER);
    let p = path.display().to_string();
    let (all, warnings) = contacts(&path, &ccsim).unwrap();
    assert!(all.is_empty());
    assert_eq!(
        warnings,
        [format!(
            "{p}: the file has a header and no rows: no contacts read"
        )]
    );
    let path = f.write("header.csv", REPORT_HEADER);
    assert_eq!(
        interval_error(&path, &ccsim),
        format!(
            "{p}: the file has a header and no rows: no interval length to infer (set `interval` in a mapping to read it as empty)"
        )
    );
    let mut with_interval = Mapping::ccsim();
    with_interval.interval = Some(900);
    let h = read_intervals(&path, &with_interval).unwrap();
    assert_eq!((h.interval, h.rows.len()), (900, 0));
    assert_eq!(
        h.warnings,
        [format!(
            "{p}: the file has a header and no rows: no intervals read"
        )]
    );

    // A byte-order mark and CRLF line ends (spreadsheet exports) read as usual.
    let text =
        format!("\u{feff}{LOG_HEADER}1,,1700,v,call,2023-03-06T09:00:00,answered,4.5,100,p\n")
            .replace('\n', "\r\n");
    let path = f.write("bom.csv", text);
    let (all, warnings) = contacts(&path, &ccsim).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(all.len(), 1);
    assert_eq!(
        (
            all[0].contact,
            all[0].wait,
            all[0].handle,
            all[0].pool.as_deref()
        ),
        (1, 4.5, Some(100.0), Some("p"))
    );

    // An interval report given as a contact log, and the reverse.
    let report = sample("intervals.csv");
    assert_eq!(
        contact_error(&report, &ccsim),
        format!(
            "{}:1: this is an interval report (it has `offered`), not a contact log: read it as intervals",
            report.display()
        )
    );
    let log = sample("contacts.csv");
    assert_eq!(
        interval_error(&log, &ccsim),
        format!(
            "{}:1: this is a contact log (it has `arrival`), not an interval report: read it as contacts",
            log.display()
        )
    );
    let path = f.write("other.csv", "a,b\n1,2\n");
    assert_eq!(
        detect(&path, &ccsim).unwrap_err().to_string(),
        format!(
            "{}:1: expected the header of a ccsim contact log (contact,caller,line,theme,channel,arrival,outcome,wait,handle,pool) or interval report (date,interval,theme,channel,offered,answered,abandoned,...), found: a, b (an ACD's export needs a mapping file)",
            path.display()
        )
    );
    // A mapping's column missing from the header.
    let mapping = f.mapping("kind = \"contacts\"\n[columns]\nwait = \"QueueTime\"\n");
    let path = f.write("log.csv", LOG_HEADER);
    assert_eq!(
        contact_error(&path, &mapping),
        format!(
            "{}:1: column `QueueTime`: missing from the header (found: contact, caller, line, theme, channel, arrival, outcome, wait, handle, pool)",
            path.display()
        )
    );
}

#[test]
fn sorted_exports_reject_rows_out_of_order() {
    let f = Files::new();
    let mapping = f.mapping("kind = \"contacts\"\nsorted = true\n");
    let path = f.write(
        "log.csv",
        format!("{LOG_HEADER}1,,,v,call,2023-03-06T09:05:00,answered,1,1,\n2,,,v,call,2023-03-06T09:04:59,answered,1,1,\n"),
    );
    assert_eq!(
        contact_error(&path, &mapping),
        format!(
            "{}:3: column `arrival`: rows are sorted by arrival (`sorted = true`), but 2023-03-06 09:04:59 comes after 2023-03-06 09:05:00 (line 2)",
            path.display()
        )
    );
    // ccsim's own log is in order of the contacts' ends: not required sorted.
    assert_eq!(contacts(&path, &Mapping::ccsim()).unwrap().0.len(), 2);

    let mapping = f.mapping("kind = \"intervals\"\nsorted = true\n");
    let path = f.write(
        "report.csv",
        format!("{REPORT_HEADER}2023-03-06,09:30,v,call,1,1,0\n2023-03-06,09:00,w,call,1,1,0\n2023-03-06,09:00,v,call,1,1,0\n"),
    );
    assert_eq!(
        interval_error(&path, &mapping),
        format!(
            "{}:4: column `interval`: rows are sorted by time (`sorted = true`), but 2023-03-06 09:00 comes after 2023-03-06 09:30 (line 2) for theme `v`, channel call",
            path.display()
        )
    );
}

#[test]
fn daylight_saving_in_contact_exports() {
    let f = Files::new();
    let mapping =
        f.mapping("kind = \"contacts\"\ntime_zone = \"Europe/Brussels\"\nsorted = true\n");
    // The spring-forward gap: 02:30 does not exist on 2023-03-26.
    let path = f.write(
        "log.csv",
        format!("{LOG_HEADER}1,,,v,call,2023-03-26T02:30:00,answered,1,1,\n"),
    );
    assert_eq!(
        contact_error(&path, &mapping),
        format!(
            "{}:2: column `arrival`: local time 2023-03-26 02:30:00 does not exist in Europe/Brussels (the clocks jump forward when daylight saving starts)",
            path.display()
        )
    );
    // The repeated hour of local timestamps: read as written, with a warning;
    // going back once inside it is not out of order.
    let path = f.write(
        "log.csv",
        format!("{LOG_HEADER}1,,,v,call,2023-10-29T02:50:00,answered,1,1,\n2,,,v,call,2023-10-29T02:10:00,answered,1,1,\n3,,,v,call,2023-10-29T03:10:00,answered,1,1,\n"),
    );
    let (all, warnings) = contacts(&path, &mapping).unwrap();
    assert_eq!(all[1].arrival, t("2023-10-29 02:10:00"));
    assert_eq!(
        warnings,
        [format!(
            "{}: 2023-10-29: 2 arrivals fall in the hour 02:00–03:00 that Europe/Brussels repeats at the end of daylight saving; read as written in local time (which of the two passes each one came in is unknown)",
            path.display()
        )]
    );
    // Offsets in the timestamps are converted to the zone's local time.
    let path = f.write(
        "log.csv",
        format!("{LOG_HEADER}1,,,v,call,2023-10-29T02:30:00+02:00,answered,1,1,\n2,,,v,call,2023-10-29T02:10:00+01:00,answered,1,1,\n3,,,v,call,2023-10-29T01:50:00Z,answered,1,1,\n"),
    );
    let (all, warnings) = contacts(&path, &mapping).unwrap();
    let arrivals: Vec<_> = all.iter().map(|c| c.arrival).collect();
    assert_eq!(
        arrivals,
        [
            t("2023-10-29 02:30:00"),
            t("2023-10-29 02:10:00"),
            t("2023-10-29 02:50:00")
        ]
    );
    assert!(warnings.is_empty());
}

#[test]
fn interval_counts_that_cannot_be() {
    let f = Files::new();
    let ccsim = Mapping::ccsim();
    let header = "date,interval,theme,channel,offered,answered,abandoned,answered_within\n";
    let cases = [
        (
            "2023-03-06,09:00,v,call,-4,1,0,0",
            "column `offered`: expected a count (an integer >= 0), found `-4`",
        ),
        (
            "2023-03-06,09:00,v,call,4,-1,0,0",
            "column `answered`: expected a count (an integer >= 0), found `-1`",
        ),
        (
            "2023-03-06,09:00,v,call,4,5,0,0",
            "column `answered`: expected at most offered (4), found `5`",
        ),
        (
            "2023-03-06,09:00,v,call,4,3,2,0",
            "column `abandoned`: expected answered + abandoned at most offered (4), found 3 + 2",
        ),
        (
            "2023-03-06,09:00,v,call,4,3,1,4",
            "column `answered_within`: expected at most answered (3), found `4`",
        ),
        (
            "2023-03-06,9h00,v,call,4,3,1,0",
            "column `interval`: expected a start time HH:MM, found `9h00`",
        ),
        (
            "06/03/2023,09:00,v,call,4,3,1,0",
            "column `date`: expected a date in the format `%Y-%m-%d`, found `06/03/2023`",
        ),
    ];
    for (line, message) in cases {
        let path = f.write("r.csv", format!("{header}{line}\n"));
        assert_eq!(
            interval_error(&path, &ccsim),
            format!("{}:2: {message}", path.display()),
            "{line}"
        );
    }
    let path = f.write(
        "r.csv",
        "date,interval,theme,channel,offered,answered,abandoned,threshold\n2023-03-06,09:00,v,call,4,3,1,20\n2023-03-06,09:30,v,call,4,3,1,30\n",
    );
    assert_eq!(
        interval_error(&path, &ccsim),
        format!(
            "{}:3: column `threshold`: expected the same threshold for call as line 2 (20), found `30`",
            path.display()
        )
    );
}

#[test]
fn duplicate_intervals_are_errors_and_gaps_are_read_as_zero() {
    let f = Files::new();
    let ccsim = Mapping::ccsim();
    let path = f.write(
        "r.csv",
        format!("{REPORT_HEADER}2023-03-06,09:00,v,call,4,3,1\n2023-03-06,09:30,v,call,4,3,1\n2023-03-06,09:00,v,call,1,1,0\n"),
    );
    assert_eq!(
        interval_error(&path, &ccsim),
        format!(
            "{}:4: duplicate interval: 2023-03-06 09:00, theme `v`, channel call is already at line 2",
            path.display()
        )
    );
    // The repeated hour of local times without a time zone is a duplicate too.
    let path = f.write(
        "r.csv",
        format!("{REPORT_HEADER}2023-10-29,02:00,v,call,4,3,1\n2023-10-29,02:30,v,call,4,3,1\n2023-10-29,02:00,v,call,1,1,0\n"),
    );
    assert_eq!(
        interval_error(&path, &ccsim),
        format!(
            "{}:4: duplicate interval: 2023-10-29 02:00, theme `v`, channel call is already at line 2",
            path.display()
        )
    );
    // Gaps inside a day of a theme and channel: zero rows and one warning.
    let path = f.write(
        "r.csv",
        format!("{REPORT_HEADER}2023-03-06,09:00,v,call,4,3,1\n2023-03-06,09:30,v,call,2,2,0\n2023-03-06,11:00,v,call,5,5,0\n2023-03-06,10:00,w,chat,1,1,0\n"),
    );
    let h = read_intervals(&path, &ccsim).unwrap();
    assert_eq!(h.interval, 1800);
    let got: Vec<(u32, &str, u64)> = h
        .rows
        .iter()
        .map(|r| (r.start / 60, r.theme.as_str(), r.offered))
        .collect();
    assert_eq!(
        got,
        [
            (540, "v", 4),
            (570, "v", 2),
            (600, "v", 0),
            (600, "w", 1),
            (630, "v", 0),
            (660, "v", 5)
        ]
    );
    assert_eq!(h.rows.iter().map(|r| r.offered).sum::<u64>(), 12);
    assert_eq!(
        h.warnings,
        [format!(
            "{}: 2023-03-06, theme `v`, channel call: 2 interval(s) missing between 09:30 and 11:00 (10:00, 10:30), read as zero",
            path.display()
        )]
    );
    // The interval length of a mapping: starts off its grid are errors.
    let mapping = f.mapping("kind = \"intervals\"\ninterval = \"1h\"\n");
    assert_eq!(
        interval_error(&path, &mapping),
        format!(
            "{}:3: column `interval`: expected a start on the grid of 60 minutes (the mapping's `interval`), found 09:30",
            path.display()
        )
    );
    // One interval per day: the length cannot be inferred.
    let path = f.write(
        "r.csv",
        format!("{REPORT_HEADER}2023-03-06,09:00,v,call,4,3,1\n2023-03-07,09:00,v,call,4,3,1\n"),
    );
    assert_eq!(
        interval_error(&path, &ccsim),
        format!(
            "{}: cannot infer the interval length: no theme and channel has two intervals on one date (set `interval` in a mapping)",
            path.display()
        )
    );
}

#[test]
fn the_repeated_hour_of_utc_interval_data_is_summed_and_the_skipped_one_is_no_gap() {
    let f = Files::new();
    let mapping = f.mapping(
        "kind = \"intervals\"\ntimestamps = \"utc\"\ntime_zone = \"Europe/Brussels\"\nchannel = \"call\"\nsorted = true\n[columns]\ndatetime = \"start\"\ntheme = \"queue\"\n",
    );
    // 23:30 UTC to 02:00 UTC of 2023-10-29: 01:30 CEST ... 03:00 CET.
    let rows = [
        "2023-10-28T23:30:00Z,q,1,1,0",
        "2023-10-29T00:00:00Z,q,2,2,0",
        "2023-10-29T00:30:00Z,q,3,3,0",
        "2023-10-29T01:00:00Z,q,4,4,0",
        "2023-10-29T01:30:00Z,q,5,5,0",
        "2023-10-29T02:00:00Z,q,6,6,0",
    ];
    let path = f.write(
        "r.csv",
        format!(
            "start,queue,offered,answered,abandoned\n{}\n",
            rows.join("\n")
        ),
    );
    let h = read_intervals(&path, &mapping).unwrap();
    let got: Vec<(u32, u64)> = h.rows.iter().map(|r| (r.start / 60, r.offered)).collect();
    assert_eq!(got, [(90, 1), (120, 2 + 4), (150, 3 + 5), (180, 6)]);
    assert_eq!(
        h.warnings,
        [format!(
            "{}: 2023-10-29: the hour 02:00–03:00 happens twice in Europe/Brussels (end of daylight saving); 2 intervals of it appear twice and each pair was summed into one",
            path.display()
        )]
    );
    // Spring forward: 01:30 CET then 03:00 CEST; 02:00 and 02:30 do not exist: no gap.
    let path = f.write(
        "r.csv",
        "start,queue,offered,answered,abandoned\n2023-03-26T00:30:00Z,q,1,1,0\n2023-03-26T01:00:00Z,q,2,2,0\n",
    );
    let h = read_intervals(&path, &mapping).unwrap();
    let got: Vec<(u32, u64)> = h.rows.iter().map(|r| (r.start / 60, r.offered)).collect();
    assert_eq!(got, [(90, 1), (180, 2)]);
    assert!(h.warnings.is_empty(), "{:?}", h.warnings);
    // Local interval data that starts in the skipped hour is an error.
    let mapping = f.mapping("kind = \"intervals\"\ntime_zone = \"Europe/Brussels\"\n");
    let path = f.write(
        "r.csv",
        format!("{REPORT_HEADER}2023-03-26,01:30,v,call,1,1,0\n2023-03-26,02:00,v,call,1,1,0\n"),
    );
    assert_eq!(
        interval_error(&path, &mapping),
        format!(
            "{}:3: column `interval`: local time 2023-03-26 02:00:00 does not exist in Europe/Brussels (the clocks jump forward when daylight saving starts)",
            path.display()
        )
    );
    // A third row of the same repeated interval is a duplicate.
    let path = f.write(
        "r.csv",
        format!("{REPORT_HEADER}2023-10-29,02:00,v,call,1,1,0\n2023-10-29,02:00,v,call,1,1,0\n2023-10-29,02:00,v,call,1,1,0\n"),
    );
    let mut fixed = mapping.clone();
    fixed.interval = Some(1800);
    assert_eq!(
        interval_error(&path, &fixed),
        format!(
            "{}:4: duplicate interval: 2023-10-29 02:00, theme `v`, channel call is already at line 2",
            path.display()
        )
    );
}

// ---- never a panic -----------------------------------------------------------

/// Reads bytes as every kind of file with several mappings; any result but
/// a panic is fine, and every error names the file.
fn read_everything(bytes: &[u8], mappings: &[Mapping], dir: &Path) {
    let path = dir.join("fuzz.csv");
    std::fs::write(&path, bytes).unwrap();
    let name = path.display().to_string();
    for m in mappings {
        for e in [
            detect(&path, m).err(),
            read_contacts(&path, m, |c| assert!(c.wait >= 0.0 && c.wait.is_finite())).err(),
            read_intervals(&path, m).err(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(e.to_string().starts_with(&name), "{e}");
        }
    }
    let _ = Mapping::parse(&String::from_utf8_lossy(bytes), Path::new("fuzz.toml"));
}

fn fuzz_mappings() -> Vec<Mapping> {
    let mut local = Mapping::ccsim();
    local.time_zone = Some(chrono_tz::Europe::Brussels);
    local.sorted = true;
    vec![
        Mapping::ccsim(),
        local,
        Mapping::load(&sample("acd-contacts.toml")).unwrap(),
        Mapping::load(&sample("acd-intervals.toml")).unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_panic_the_readers(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        read_everything(&bytes, &fuzz_mappings(), dir.path());
    }

    #[test]
    fn random_rows_of_plausible_fields_never_panic_the_readers(
        header in proptest::sample::select(vec![LOG_HEADER, REPORT_HEADER, "Interval Start;Queue;Offered;Handled;Abandoned;Handled in SL;Avg Talk;Avg Wrap;ASA;Avg Abandon Time;Staffed\n"]),
        rows in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "0", "1", "-1", "2023-10-29T02:30:00", "2023-03-26T02:30:00Z", "2023-10-29", "02:00",
                    "29.10.2023 02:00", "call", "chat", "fax", "answered", "ANS", "12,5", "1.5", "0:04:10",
                    "99999999999999999999999", "\"a,b\"", "q", "NaN", "1e308", "\u{feff}",
                ]),
                0..12,
            ),
            0..8,
        ),
        delimiter in proptest::sample::select(vec![",", ";"]),
    ) {
        let mut text = header.to_string();
        for row in rows {
            text.push_str(&row.join(delimiter));
            text.push('\n');
        }
        let dir = tempfile::tempdir().unwrap();
        read_everything(text.as_bytes(), &fuzz_mappings(), dir.path());
    }
}

#[test]
fn the_mappings_in_the_documentation_are_the_sample_mappings() {
    let doc = std::fs::read_to_string("docs/history.md").unwrap();
    let blocks: Vec<&str> = doc
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2);
    for (block, file) in blocks
        .iter()
        .zip(["acd-contacts.toml", "acd-intervals.toml"])
    {
        let documented = Mapping::parse(block, Path::new("docs/history.md")).unwrap();
        assert_eq!(documented, Mapping::load(&sample(file)).unwrap(), "{file}");
    }
}
