//! Reading a contact log of 1 million rows in ccsim's own format (the
//! format `ccsim run --log` writes): `history::read_contacts` streams it
//! into one reused `Contact`. The aim is over 2 million rows per second on
//! one core (issue 16, item 2). A second case reads the same contacts as
//! an ACD export through a mapping (semicolons, decimal comma, UTC
//! timestamps converted to Europe/Brussels, talk + wrap-up summed).

use std::hint::black_box;
use std::io::Write;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use ccsim::history::{Mapping, read_contacts};

const ROWS: u64 = 1_000_000;

/// A deterministic log: 1 million contacts over 100 days, mixed themes,
/// channels and outcomes, rows as ccsim writes them.
fn write_log(path: &Path, acd: bool) {
    let file = std::fs::File::create(path).unwrap();
    let mut out = std::io::BufWriter::new(file);
    if acd {
        writeln!(
            out,
            "CallId;ANI;StartTimeUTC;Queue;Media;Disposition;QueueSec;TalkSec;WrapSec;AgentGroup"
        )
        .unwrap();
    } else {
        writeln!(
            out,
            "contact,caller,line,theme,channel,arrival,outcome,wait,handle,pool"
        )
        .unwrap();
    }
    let themes = ["vaccination", "traffic_tax", "property_tax"];
    let channels = ["call", "call", "chat", "email"];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for id in 1..=ROWS {
        let r = next();
        let day = 1 + id * 100 / (ROWS + 1);
        let (month, dom) = (1 + (day - 1) / 28, 1 + (day - 1) % 28);
        let seconds = 8 * 3600 + (r % 36_000);
        let (h, m, s, ms) = (seconds / 3600, seconds / 60 % 60, seconds % 60, r % 1000);
        let theme = themes[(r >> 20) as usize % 3];
        let channel = channels[(r >> 24) as usize % 4];
        let answered = (r >> 28) % 10 < 8;
        let wait = (r >> 32) % 300_000;
        let handle = 60_000 + (r >> 40) % 600_000;
        if acd {
            let outcome = if answered { "ANS" } else { "ABN" };
            let (talk, wrap) = if answered {
                (format!("{},{}", handle / 1000, handle % 10), "30,0")
            } else {
                (String::new(), "")
            };
            writeln!(
                out,
                "{id};{};2023-{month:02}-{dom:02} {:02}:{m:02}:{s:02};{theme};{channel};{outcome};{},{};{talk};{wrap};frontline",
                id / 2, h - 1, wait / 1000, wait % 10,
            )
            .unwrap();
        } else if answered {
            writeln!(
                out,
                "{id},{},1700,{theme},{channel},2023-{month:02}-{dom:02}T{h:02}:{m:02}:{s:02}.{ms:03},answered,{}.{:03},{}.{:03},frontline",
                id / 2, wait / 1000, wait % 1000, handle / 1000, handle % 1000,
            )
            .unwrap();
        } else {
            writeln!(
                out,
                "{id},{},1700,{theme},{channel},2023-{month:02}-{dom:02}T{h:02}:{m:02}:{s:02}.{ms:03},abandoned,{}.{:03},,",
                id / 2, wait / 1000, wait % 1000,
            )
            .unwrap();
        }
    }
    out.flush().unwrap();
}

/// This thread's CPU time in seconds: on a loaded machine, wall time
/// counts the other processes too; CPU time is the one core's work.
fn thread_cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// Prints rows per CPU second of the best of three reads.
fn report_cpu_time(name: &str, path: &Path, mapping: &Mapping) {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = thread_cpu_seconds();
        let read = read_contacts(path, mapping, |c| {
            black_box(c.wait);
        })
        .unwrap();
        best = best.min(thread_cpu_seconds() - start);
        assert_eq!(read.rows, ROWS);
    }
    eprintln!(
        "{name}: {ROWS} rows in {best:.3} s of CPU time: {:.2} million rows per CPU second",
        ROWS as f64 / best / 1e6
    );
}

fn history_read(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("history_read");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS));
    let ccsim_log = dir.path().join("contacts.csv");
    write_log(&ccsim_log, false);
    let mapping = Mapping::ccsim();
    report_cpu_time("ccsim_contacts_1m", &ccsim_log, &mapping);
    group.bench_function("ccsim_contacts_1m", |b| {
        b.iter(|| {
            let mut waited = 0.0;
            let read = read_contacts(&ccsim_log, &mapping, |c| waited += c.wait).unwrap();
            assert_eq!(read.rows, ROWS);
            black_box(waited)
        })
    });
    let acd_log = dir.path().join("acd.csv");
    write_log(&acd_log, true);
    let acd = Mapping::parse(
        r#"
kind = "contacts"
delimiter = ";"
decimal_comma = true
timestamp_format = "%Y-%m-%d %H:%M:%S"
timestamps = "utc"
time_zone = "Europe/Brussels"
[columns]
contact = "CallId"
caller = "ANI"
arrival = "StartTimeUTC"
theme = "Queue"
channel = "Media"
outcome = "Disposition"
wait = "QueueSec"
handle = ["TalkSec", "WrapSec"]
pool = "AgentGroup"
[outcomes]
ANS = "answered"
ABN = "abandoned"
"#,
        Path::new("acd.toml"),
    )
    .unwrap();
    report_cpu_time("acd_contacts_1m", &acd_log, &acd);
    group.bench_function("acd_contacts_1m", |b| {
        b.iter(|| {
            let mut waited = 0.0;
            let read = read_contacts(&acd_log, &acd, |c| waited += c.wait).unwrap();
            assert_eq!(read.rows, ROWS);
            black_box(waited)
        })
    });
    group.finish();
}

criterion_group!(benches, history_read);
criterion_main!(benches);
