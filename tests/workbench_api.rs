//! The workbench's HTTP API (`ccsim serve`), end to end over HTTP: the
//! router served in-process on 127.0.0.1:0, a blocking client (ureq).
//! Small scenarios and few replications, so each test takes well under a
//! second or two.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, Instant};

use ccsim::workbench::{self, AppState, Folder, Limits};
use serde_json::{Value, json};

const QUICKSTART: &str = include_str!("../scenarios/quickstart.toml");

/// A scenario with a staffing grid and comments around it.
const GRID: &str = r#"# A grid of agents per weekday and half hour.
name = "Grid week"

[horizon]
start = 2021-04-12          # a Monday
days = 7
interval = "30m"

[lines.main]
hours = { mon-fri = "09:00-12:00" }

[channels.call]
patience = { dist = "exponential", mean = "3m" }   # callers hang up after 3 minutes on average

[themes.general]
volume.call = { per_day = 120 }
handle_time.call = { dist = "exponential", mean = "4m" }

[pools.team]
skills = [{ themes = "*", channels = "call" }]
[pools.team.staffing]       # who is on the phones
start = "09:00"
mon = [6, 7, 7, 6, 5, 4]    # Monday is busier
default = [5, 5, 5, 5, 4, 3]
"#;

struct Server {
    url: String,
    agent: ureq::Agent,
    _runtime: std::thread::JoinHandle<()>,
}

fn serve(folder: Folder, limits: Limits, threads: Option<usize>) -> Server {
    let state = AppState::new(folder, limits, threads);
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, workbench::router(state))
                .await
                .unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    Server {
        url: format!("http://{addr}"),
        agent,
        _runtime: handle,
    }
}

fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn server_on(dir: &Path) -> Server {
    serve(Folder::open(dir).unwrap(), Limits::default(), Some(2))
}

impl Server {
    fn get(&self, path: &str) -> (u16, Value) {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.url))
            .call()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }
    fn send(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let url = format!("{}{path}", self.url);
        let mut r = match method {
            "POST" => self.agent.post(url).send_json(body),
            "PUT" => self.agent.put(url).send_json(body),
            _ => unreachable!(),
        }
        .unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }
    fn run(&self, name: &str, text: &str, replications: u32, seed: u64) -> (u16, Value) {
        self.send(
            "POST",
            "/api/runs",
            &json!({ "name": name, "text": text, "replications": replications, "seed": seed }),
        )
    }
    /// Polls a run until it is over.
    fn wait(&self, id: u64) -> Value {
        let start = Instant::now();
        loop {
            let (_, p) = self.get(&format!("/api/runs/{id}"));
            if ["done", "cancelled", "failed"].contains(&p["state"].as_str().unwrap()) {
                return p;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "run {id} never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    /// Polls a comparison or sweep until it is in `state`.
    fn wait_job(&self, id: u64, state: &str, seconds: u64) {
        let start = Instant::now();
        loop {
            let (_, job) = self.get(&format!("/api/jobs/{id}"));
            if job["state"] == state {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(seconds),
                "job {id} never got {state}: {job}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    /// The events of a run, `(kind, data)`, read until `stop` says so.
    fn events(&self, id: u64, stop: &mut dyn FnMut(&str, &Value) -> bool) -> Vec<(String, Value)> {
        let r = self
            .agent
            .get(format!("{}/api/runs/{id}/events", self.url))
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let mut lines = BufReader::new(r.into_body().into_reader()).lines();
        let mut out = Vec::new();
        let mut kind = String::new();
        while let Some(Ok(line)) = lines.next() {
            if let Some(k) = line.strip_prefix("event: ") {
                kind = k.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                let data: Value = serde_json::from_str(d).unwrap();
                let end = stop(&kind, &data);
                out.push((kind.clone(), data));
                if end {
                    break;
                }
            }
        }
        out
    }
}

fn reachability(figures: &Value, channel: &str) -> f64 {
    figures["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == channel)
        .unwrap()["reachability"]["mean"]
        .as_f64()
        .unwrap()
}

#[test]
fn the_library_lists_the_folders_scenarios_and_opens_one() {
    let dir = folder_with(&[
        ("quickstart.toml", QUICKSTART),
        ("plans/grid.toml", GRID),
        ("notes.txt", "not a scenario"),
    ]);
    let s = server_on(dir.path());
    let (status, library) = s.get("/api/library");
    assert_eq!(status, 200);
    let names: Vec<&str> = library["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["plans/grid.toml", "quickstart.toml"]);
    assert_eq!(
        library["scenarios"][1]["title"],
        "Quickstart: one week, one pool"
    );
    assert_eq!(library["writable"], true);
    let (status, open) = s.get("/api/scenarios/plans/grid.toml");
    assert_eq!(status, 200);
    assert_eq!(open["text"], GRID);
    // The page itself is served, with its script, from the binary.
    let page = s
        .agent
        .get(&s.url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("<script src=\"/app.js\"></script>"));
}

#[test]
fn without_a_folder_the_curated_scenarios_are_served_read_only() {
    let s = serve(Folder::embedded(), Limits::default(), Some(2));
    let (_, library) = s.get("/api/library");
    assert_eq!(library["writable"], false);
    assert!(
        library["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "vlaanderen-1700-2021q2.toml")
    );
    let (status, open) = s.get("/api/scenarios/quickstart.toml");
    assert_eq!(status, 200);
    assert_eq!(open["text"], QUICKSTART);
    let (status, e) = s.send(
        "PUT",
        "/api/scenarios/quickstart.toml",
        &json!({ "text": QUICKSTART, "version": open["version"] }),
    );
    assert_eq!(status, 403);
    assert!(e["error"].as_str().unwrap().contains("read-only"), "{e}");
}

#[test]
fn validation_locates_errors_as_the_command_line_does() {
    let s = serve(Folder::embedded(), Limits::default(), Some(2));
    let text = QUICKSTART.replace("agents = 9", "agents = \"nine\"");
    let line = text
        .lines()
        .position(|l| l.starts_with("agents = "))
        .unwrap()
        + 1;
    let (status, v) = s.send(
        "POST",
        "/api/validate",
        &json!({ "name": "quickstart.toml", "text": text }),
    );
    assert_eq!(status, 200);
    assert_eq!(v["ok"], false);
    let e = &v["errors"][0];
    assert_eq!(e["line"], line);
    assert_eq!(e["column"], 10, "{e}");
    assert_eq!(e["path"], "pools.agents.agents");
    assert_eq!(
        e["headline"],
        format!(
            "quickstart.toml:{line}:10: `pools.agents.agents`: expected a whole number, found the string \"nine\""
        )
    );
    // The same headline as `ccsim validate` prints.
    let dir = folder_with(&[("quickstart.toml", &text)]);
    let out = assert_cmd::Command::cargo_bin("ccsim")
        .unwrap()
        .current_dir(dir.path())
        .args(["validate", "quickstart.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(e["headline"].as_str().unwrap()), "{stderr}");
    let (_, v) = s.send("POST", "/api/validate", &json!({ "text": QUICKSTART }));
    assert_eq!(v["ok"], true);
    assert_eq!(v["summary"]["days"], 7);
}

#[test]
fn a_staffing_cell_edit_is_saved_keeping_every_comment_byte_for_byte() {
    let dir = folder_with(&[("grid.toml", GRID)]);
    let s = server_on(dir.path());
    let (_, open) = s.get("/api/scenarios/grid.toml");
    let (_, form) = s.send("POST", "/api/form", &json!({ "text": GRID }));
    let grid = &form["staffing"][0];
    assert_eq!(grid["kind"], "grid");
    assert_eq!(grid["rows"]["mon"], json!([6, 7, 7, 6, 5, 4]));
    assert_eq!(grid["rows"]["tue"], Value::Null);
    // One cell of Monday, and Tuesday's own row (it followed `default`).
    let (status, edited) = s.send(
        "POST",
        "/api/edit",
        &json!({ "name": "grid.toml", "text": GRID, "staffing": [
            { "pool": "team", "day": "mon", "values": [6, 7, 9, 6, 5, 4] },
        ]}),
    );
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["validation"]["ok"], true);
    let text = edited["text"].as_str().unwrap();
    assert_eq!(
        text,
        GRID.replace("mon = [6, 7, 7, 6, 5, 4]", "mon = [6, 7, 9, 6, 5, 4]")
    );
    let (status, saved) = s.send(
        "PUT",
        "/api/scenarios/grid.toml",
        &json!({ "text": text, "version": open["version"] }),
    );
    assert_eq!(status, 200, "{saved}");
    let on_disk = std::fs::read_to_string(dir.path().join("grid.toml")).unwrap();
    assert_eq!(on_disk, text);
    assert!(on_disk.contains("mon = [6, 7, 9, 6, 5, 4]    # Monday is busier\n"));
    // A field edit (volume) goes through the same editor.
    let (_, edited) = s.send(
        "POST",
        "/api/edit",
        &json!({ "text": on_disk, "edits": [{ "path": "themes.general.volume.call.per_day", "value": 150 }] }),
    );
    assert_eq!(
        edited["text"],
        on_disk.replace("per_day = 120", "per_day = 150")
    );
}

#[test]
fn a_save_over_a_file_changed_on_disk_is_refused_with_409() {
    let dir = folder_with(&[("grid.toml", GRID)]);
    let s = server_on(dir.path());
    let (_, open) = s.get("/api/scenarios/grid.toml");
    std::fs::write(dir.path().join("grid.toml"), "# changed by someone else\n").unwrap();
    let body = json!({ "text": GRID, "version": open["version"] });
    let (status, e) = s.send("PUT", "/api/scenarios/grid.toml", &body);
    assert_eq!(status, 409, "{e}");
    assert!(e["error"].as_str().unwrap().contains("changed on disk"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("grid.toml")).unwrap(),
        "# changed by someone else\n"
    );
    // A new name that exists is refused too; a new name is written.
    let (status, _) = s.send("PUT", "/api/scenarios/grid.toml", &json!({ "text": GRID }));
    assert_eq!(status, 409);
    let (status, _) = s.send(
        "PUT",
        "/api/scenarios/plans/copy.toml",
        &json!({ "text": GRID }),
    );
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plans/copy.toml")).unwrap(),
        GRID
    );
    // Asked for explicitly, the overwrite goes through.
    let (status, _) = s.send(
        "PUT",
        "/api/scenarios/grid.toml",
        &json!({ "text": GRID, "version": open["version"], "overwrite": true }),
    );
    assert_eq!(status, 200);
}

#[test]
fn a_run_gives_the_command_lines_figures_and_a_repeat_comes_from_the_cache() {
    let s = serve(Folder::embedded(), Limits::default(), Some(2));
    let (status, started) = s.run("quickstart.toml", QUICKSTART, 8, 3);
    assert_eq!(status, 202, "{started}");
    assert_eq!(started["cached"], false);
    let done = s.wait(started["id"].as_u64().unwrap());
    assert_eq!(done["state"], "done");
    let figures = &done["key_figures"];
    // `ccsim run scenarios/quickstart.toml -r 8 --seed 3 --json FILE`: the same figure.
    let json = tempfile::NamedTempFile::new().unwrap();
    assert_cmd::Command::cargo_bin("ccsim")
        .unwrap()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "8",
            "--seed",
            "3",
            "-q",
            "--force",
            "--json",
        ])
        .arg(json.path())
        .assert()
        .success();
    let cli: Value = serde_json::from_str(&std::fs::read_to_string(json.path()).unwrap()).unwrap();
    for channel in ["call", "email"] {
        assert_eq!(
            reachability(figures, channel),
            find_figure(&cli, channel),
            "{channel}"
        );
    }
    assert_eq!(
        figures["reachability"]["ci_low"],
        cli["horizon"]["total"]["reachability"]["ci_low"]
    );
    // The key figures are summarised on their own when the run ends, and
    // every figure when an export asks: both must agree, to the bit.
    let id = done["id"].as_u64().unwrap();
    let (status, summary) = s.get(&format!("/api/export/{id}/summary.json"));
    assert_eq!(status, 200);
    let horizon = &summary["horizon"];
    for key in figures["channels"].as_array().unwrap() {
        let channel = key["channel"].as_str().unwrap();
        for (name, file) in [
            ("reachability", "reachability"),
            ("service_level", "service_level"),
            ("offered", "offered"),
            ("answered", "answered"),
            ("abandon_share", "abandon_share"),
            ("asa_seconds", "asa"),
        ] {
            // Calls have every one of them (e-mail has no service level).
            assert!(
                channel != "call" || key[name]["mean"].is_number(),
                "{channel} {name}"
            );
            for part in ["mean", "ci_low", "ci_high"] {
                assert_eq!(
                    key[name][part], horizon["channels"][channel][file][part],
                    "{channel} {name} {part}"
                );
            }
        }
    }
    for part in ["mean", "ci_low", "ci_high"] {
        assert_eq!(
            figures["reachability"][part],
            horizon["total"]["reachability"][part]
        );
        assert_eq!(
            figures["cost"]["handling"][part],
            horizon["total"]["cost"][part]
        );
    }
    // The same again: from the cache, the same figures, at once.
    let (status, again) = s.run("quickstart.toml", QUICKSTART, 8, 3);
    assert_eq!(status, 202);
    assert_eq!(again["cached"], true);
    assert_eq!(again["state"], "done");
    assert_eq!(again["key_figures"], *figures);
    // Another seed is another run.
    let (_, other) = s.run("quickstart.toml", QUICKSTART, 8, 4);
    assert_eq!(other["cached"], false);
    s.wait(other["id"].as_u64().unwrap());
    // The report page is the one of `--out`.
    let id = again["id"].as_u64().unwrap();
    let page = s
        .agent
        .get(format!("{}/api/runs/{id}/report", s.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("<h2>Key figures</h2>") && page.contains("<svg"));
}

/// The horizon reachability of a channel in `ccsim run --json`.
fn find_figure(doc: &Value, channel: &str) -> f64 {
    doc["horizon"]["channels"][channel]["reachability"]["mean"]
        .as_f64()
        .unwrap()
}

#[test]
fn progress_streams_and_a_run_can_be_cancelled() {
    let s = serve(Folder::embedded(), Limits::default(), Some(1));
    let (_, started) = s.run("quickstart.toml", QUICKSTART, 1000, 5);
    let id = started["id"].as_u64().unwrap();
    let mut cancelled = false;
    let events = s.events(id, &mut |kind, data| {
        if kind == "progress" && data["done"].as_u64().unwrap() >= 2 && !cancelled {
            let (status, c) = s.send("POST", &format!("/api/runs/{id}/cancel"), &json!({}));
            assert_eq!(status, 200);
            assert_eq!(c["cancelling"], true);
            cancelled = true;
        }
        kind != "progress"
    });
    let (kind, last) = events.last().unwrap();
    assert_eq!(kind, "cancelled", "{last}");
    assert!(
        events
            .iter()
            .any(|(k, d)| k == "progress" && d["state"] == "running")
    );
    let done = last["done"].as_u64().unwrap();
    assert!((2..1000).contains(&done), "{last}");
    assert_eq!(last["key_figures"]["partial"], true);
    assert_eq!(last["key_figures"]["replications"], done);
    // A partial run is not cached.
    let (_, again) = s.run("quickstart.toml", QUICKSTART, 1000, 5);
    assert_eq!(again["cached"], false);
    s.send(
        "POST",
        &format!("/api/runs/{}/cancel", again["id"]),
        &json!({}),
    );
}

#[test]
fn runs_of_one_scenario_queue_and_say_their_place() {
    let s = serve(Folder::embedded(), Limits::default(), Some(1));
    let (_, first) = s.run("quickstart.toml", QUICKSTART, 1000, 11);
    let (_, second) = s.run("quickstart.toml", QUICKSTART, 4, 12);
    let (_, third) = s.run("quickstart.toml", QUICKSTART, 4, 13);
    assert_eq!(second["state"], "queued");
    assert_eq!(second["queue_position"], 1);
    assert_eq!(third["queue_position"], 2);
    // Another scenario does not wait for these.
    let (_, other) = s.run("other.toml", QUICKSTART, 4, 14);
    assert_eq!(s.wait(other["id"].as_u64().unwrap())["state"], "done");
    let (_, p) = s.get(&format!("/api/runs/{}", third["id"]));
    assert_eq!(p["state"], "queued");
    // A queued run cancelled leaves the queue; the one behind moves up.
    s.send(
        "POST",
        &format!("/api/runs/{}/cancel", second["id"]),
        &json!({}),
    );
    assert_eq!(s.wait(second["id"].as_u64().unwrap())["state"], "cancelled");
    let (_, p) = s.get(&format!("/api/runs/{}", third["id"]));
    assert_eq!(p["queue_position"], 1, "{p}");
    s.send(
        "POST",
        &format!("/api/runs/{}/cancel", first["id"]),
        &json!({}),
    );
    assert_eq!(s.wait(first["id"].as_u64().unwrap())["state"], "cancelled");
    let last = s.wait(third["id"].as_u64().unwrap());
    assert_eq!(last["state"], "done");
    assert_eq!(last["key_figures"]["replications"], 4);
}

#[test]
fn a_client_that_disconnects_mid_run_stops_nothing() {
    let s = serve(Folder::embedded(), Limits::default(), Some(1));
    let (_, started) = s.run("quickstart.toml", QUICKSTART, 60, 21);
    let id = started["id"].as_u64().unwrap();
    // Read one event, then hang up.
    let events = s.events(id, &mut |_, _| true);
    assert_eq!(events.len(), 1);
    let done = s.wait(id);
    assert_eq!(done["state"], "done");
    assert_eq!(done["done"], 60);
    let (status, _) = s.get("/api/library");
    assert_eq!(status, 200);
}

#[test]
fn paths_out_of_the_folder_are_refused() {
    let outside = folder_with(&[("secret.toml", "name = \"secret\"\n")]);
    let dir = folder_with(&[("quickstart.toml", QUICKSTART)]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.toml"),
        dir.path().join("link.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("away")).unwrap();
    let s = server_on(dir.path());
    let secret = outside.path().join("secret.toml");
    let absolute = secret.to_string_lossy().replace('/', "%2F");
    for path in [
        "/api/scenarios/..%2F..%2Fetc%2Fpasswd.toml".to_string(),
        "/api/scenarios/%2E%2E/secret.toml".to_string(),
        format!("/api/scenarios/{absolute}"),
        "/api/scenarios/link.toml".to_string(),
        "/api/scenarios/away/secret.toml".to_string(),
        "/api/scenarios/.hidden.toml".to_string(),
        "/api/scenarios/quickstart.txt".to_string(),
    ] {
        let (status, e) = s.get(&path);
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(!e.to_string().contains("secret\\\""), "{path}: {e}");
        assert!(e["error"].is_string(), "{path}: {e}");
    }
    for name in ["..%2Fescaped.toml", "away/new.toml", "link.toml"] {
        let (status, e) = s.send(
            "PUT",
            &format!("/api/scenarios/{name}"),
            &json!({ "text": "x = 1\n", "overwrite": true }),
        );
        assert_eq!(status, 403, "{name}: {e}");
    }
    assert!(!outside.path().join("new.toml").exists());
    assert!(!dir.path().parent().unwrap().join("escaped.toml").exists());
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "name = \"secret\"\n"
    );
    // The listing leaves links out of the folder out.
    let (_, library) = s.get("/api/library");
    assert_eq!(library["scenarios"].as_array().unwrap().len(), 1);
}

#[test]
fn oversize_requests_and_runs_are_refused_with_their_message() {
    let limits = Limits {
        max_body_bytes: 64 * 1024,
        max_replications: 50,
        max_days: 5,
        memory_limit: None,
    };
    let s = serve(Folder::embedded(), limits, Some(1));
    let big = format!("{QUICKSTART}\n# {}\n", "x".repeat(100_000));
    let (status, e) = s.send("POST", "/api/validate", &json!({ "text": big }));
    assert_eq!(status, 413);
    assert!(
        e["error"].as_str().unwrap().contains("--max-request"),
        "{e}"
    );
    let (status, e) = s.run("quickstart.toml", QUICKSTART, 51, 1);
    assert_eq!(status, 422);
    assert!(e["error"].as_str().unwrap().contains("at most 50"), "{e}");
    let (status, e) = s.run("quickstart.toml", QUICKSTART, 5, 1);
    assert_eq!(status, 422);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("the horizon is 7 days"),
        "{e}"
    );
    let short = QUICKSTART.replace("days = 7", "days = 5");
    let (status, _) = s.run("quickstart.toml", &short, 5, 1);
    assert_eq!(status, 202);
    // An invalid scenario is not run: its errors come back, located.
    let (status, e) = s.run(
        "quickstart.toml",
        &QUICKSTART.replace("days = 7", "days = \"x\""),
        5,
        1,
    );
    assert_eq!(status, 422);
    assert_eq!(e["errors"][0]["path"], "horizon.days");
}

#[test]
fn runs_comparisons_and_sweeps_that_would_not_fit_in_memory_are_refused() {
    // 1 MB is less than any run's estimate (the program alone is more).
    let small = Limits {
        memory_limit: Some(1_000_000),
        ..Limits::default()
    };
    let s = serve(Folder::embedded(), small, Some(1));
    let refused = |status: u16, e: &Value| {
        assert_eq!(status, 422, "{e}");
        let m = e["error"].as_str().unwrap();
        assert!(
            m.starts_with("not enough memory: this run needs about "),
            "{m}"
        );
        assert!(m.contains("1.0 MB allowed by --memory-limit"), "{m}");
        assert!(m.contains("The estimate of its peak, by part:"), "{m}");
    };
    let (status, e) = s.run("quickstart.toml", QUICKSTART, 5, 1);
    refused(status, &e);
    let (status, e) = s.send(
        "POST",
        "/api/compare",
        &json!({ "plans": ["quickstart.toml", "quickstart.toml"], "replications": 5 }),
    );
    refused(status, &e);
    let (status, e) = s.send(
        "POST",
        "/api/sweep",
        &json!({ "scenario": "quickstart.toml", "from": 0.9, "to": 1.1, "step": 0.1, "replications": 5 }),
    );
    refused(status, &e);
    // With room enough, the same run goes.
    let roomy = Limits {
        memory_limit: Some(64_000_000_000),
        ..Limits::default()
    };
    let s = serve(Folder::embedded(), roomy, Some(1));
    let (status, e) = s.run("quickstart.toml", QUICKSTART, 5, 1);
    assert_eq!(status, 202, "{e}");
}

#[test]
fn peaks_are_added_and_removed_through_the_editor_and_the_file_comes_back_byte_for_byte() {
    let s = serve(Folder::embedded(), Limits::default(), Some(1));
    let add = json!({ "op": "add", "theme": "general", "from": "2021-04-13",
                      "to": "2021-04-15", "factor": 1.8, "shape": "decay" });
    let (status, added) = s.send(
        "POST",
        "/api/edit",
        &json!({ "name": "quickstart.toml", "text": QUICKSTART, "peaks": [add] }),
    );
    assert_eq!(status, 200, "{added}");
    let text = added["text"].as_str().unwrap();
    assert!(
        text.contains(
            "peaks = [{ from = 2021-04-13, to = 2021-04-15, factor = 1.8, shape = \"decay\" }]"
        ),
        "{text}"
    );
    assert_eq!(added["validation"]["ok"], true, "{added}");
    // The form lists it, and a run sees it: more calls offered.
    let (_, form) = s.send("POST", "/api/form", &json!({ "text": text }));
    assert_eq!(
        form["peak_list"],
        json!([{ "theme": "general", "index": 0, "from": { "date": "2021-04-13" },
                 "to": { "date": "2021-04-15" }, "factor": 1.8, "shape": "decay" }])
    );
    let offered = |text: &str| {
        let (_, run) = s.run("quickstart.toml", text, 4, 9);
        let done = s.wait(run["id"].as_u64().unwrap());
        done["key_figures"]["channels"][0]["offered"]["mean"]
            .as_f64()
            .unwrap()
    };
    assert!(offered(text) > offered(QUICKSTART) * 1.05);
    // Removed, the file is the original to the byte.
    let (status, removed) = s.send(
        "POST",
        "/api/edit",
        &json!({ "name": "quickstart.toml", "text": text,
                 "peaks": [{ "op": "remove", "theme": "general", "index": 0 }] }),
    );
    assert_eq!(status, 200, "{removed}");
    assert_eq!(removed["text"], QUICKSTART);
    // A theme that is not there is named, with those that are.
    let (status, e) = s.send(
        "POST",
        "/api/edit",
        &json!({ "name": "quickstart.toml", "text": QUICKSTART,
                 "peaks": [{ "op": "add", "theme": "genral", "from": "2021-04-13",
                             "to": "2021-04-15", "factor": 2.0 }] }),
    );
    assert_eq!(status, 422);
    assert_eq!(e["error"], "no theme `genral`: the themes are general");
}

#[test]
fn a_pool_staffed_by_shifts_shows_who_its_shifts_put_on_duty() {
    let s = serve(Folder::embedded(), Limits::default(), Some(1));
    let text = include_str!("../scenarios/shifts.toml");
    let (status, form) = s.send(
        "POST",
        "/api/form",
        &json!({ "name": "shifts.toml", "text": text }),
    );
    assert_eq!(status, 200, "{form}");
    let pool = &form["staffing"][0];
    assert_eq!(pool["kind"], "shifts");
    let duty = &pool["on_duty"];
    assert_eq!(duty["start"], "08:00");
    let dates = duty["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 7);
    assert_eq!(dates[0]["date"], "2021-05-03");
    assert_eq!(dates[0]["weekday"], "mon");
    // 6 from 08:00; 6 more from 09:30; lunches at 12:00 and 13:00 take 6
    // each for half an hour; the early shift leaves at 16:30.
    assert_eq!(
        dates[0]["values"],
        json!([
            6, 6, 6, 12, 12, 12, 12, 12, 6, 12, 6, 12, 12, 12, 12, 12, 12, 6, 6, 6
        ])
    );
    // On Friday the late shift has 4.
    assert_eq!(dates[4]["weekday"], "fri");
    assert_eq!(dates[4]["values"][3], 10);
    assert!(
        dates[5]["values"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v == 0)
    );
    // An invalid scenario still has its editors, without the schedule.
    let broken = text.replace("days = 14", "days = 0");
    let (status, form) = s.send("POST", "/api/form", &json!({ "text": broken }));
    assert_eq!(status, 200);
    assert_eq!(form["staffing"][0]["kind"], "shifts");
    assert!(form["staffing"][0].get("on_duty").is_none());
}

#[test]
fn comparisons_and_sweeps_wait_in_their_scenarios_queue_as_runs_do() {
    let roomy = Limits {
        max_replications: 100_000,
        ..Limits::default()
    };
    let s = serve(Folder::embedded(), roomy, Some(1));
    let job = |s: &Server, id: u64| s.get(&format!("/api/jobs/{id}")).1;
    // A long run of the quickstart holds its queue.
    let (_, long) = s.run("quickstart.toml", QUICKSTART, 100_000, 5);
    let long = long["id"].as_u64().unwrap();
    let sweep = json!({ "scenario": "quickstart.toml", "from": 0.9, "to": 1.1, "step": 0.1, "replications": 4 });
    let (status, swept) = s.send("POST", "/api/sweep", &sweep);
    assert_eq!(status, 200, "{swept}");
    let swept = swept["job"].as_u64().unwrap();
    // A run asked for after the sweep waits behind both.
    let (_, after) = s.run("quickstart.toml", QUICKSTART, 4, 6);
    assert_eq!(after["queue_position"], 2, "{after}");
    let after = after["id"].as_u64().unwrap();
    // A second sweep, cancelled while it waits, ends at once.
    let (_, other) = s.send("POST", "/api/sweep", &sweep);
    let other = other["job"].as_u64().unwrap();
    let (status, _) = s.send("POST", &format!("/api/jobs/{other}/cancel"), &json!({}));
    assert_eq!(status, 200);
    s.wait_job(other, "cancelled", 10);
    // While the long run runs, the sweep of the same scenario only waits.
    assert_eq!(s.get(&format!("/api/runs/{long}")).1["state"], "running");
    assert_eq!(job(&s, swept)["state"], "queued");
    assert_eq!(job(&s, swept)["done"], 0);
    assert_eq!(s.get(&format!("/api/runs/{after}")).1["state"], "queued");
    // Stopped, the long run lets the sweep go, then the run behind it.
    s.send("POST", &format!("/api/runs/{long}/cancel"), &json!({}));
    s.wait_job(swept, "done", 60);
    assert_eq!(s.wait(after)["state"], "done");
}
