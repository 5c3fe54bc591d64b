//! The workbench in a real browser (issue 19): headless Chromium, driven
//! through chromedriver (WebDriver, the fantoccini crate), opens `ccsim
//! serve` on a copy of curated scenarios and does what a planner does: opens
//! the quickstart, changes one staffing cell, runs, and sees the
//! reachability move; saves a variant and compares the two plans side by
//! side; downloads the Excel workbook and reads it back (calamine).
//! Screenshots at desktop (1280×800) and phone (390×844) width go to
//! `target/workbench-screenshots/`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's
//! `chromium` and `chromium-driver` packages; `CCSIM_CHROMIUM` and
//! `CCSIM_CHROMEDRIVER` name others). Without them the test prints
//! "skipped: chromium not installed" and passes, except under CI (the `CI`
//! environment variable set), where it fails: `.ci/run` installs both.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// A program: the environment variable's, else Debian's path; Err names
/// the path that is missing.
fn program(variable: &str, default: &str) -> Result<PathBuf, PathBuf> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    if path.exists() { Ok(path) } else { Err(path) }
}

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and returns it with the first line of its stdout that
/// contains `marker`.
fn start(mut command: Command, marker: &str) -> (Process, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let process = Process(child);
    let mut line = String::new();
    loop {
        line.clear();
        if out.read_line(&mut line).unwrap() == 0 {
            panic!("{command:?} ended without saying `{marker}`");
        }
        if line.contains(marker) {
            break;
        }
    }
    // Keep reading, so that the child never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while out.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
    (process, line.trim().to_string())
}

/// `ccsim serve FOLDER --port 0`: the process and the workbench's URL.
fn serve(folder: &Path) -> (Process, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ccsim"));
    command.args(["serve", "--port", "0"]).arg(folder);
    let (process, line) = start(command, "ccsim workbench: ");
    let url = line
        .split_once("ccsim workbench: ")
        .map(|(_, url)| url.trim_end_matches('/').to_string())
        .unwrap();
    (process, url)
}

/// chromedriver on a free port: the process and its URL.
fn chromedriver(binary: &Path) -> (Process, String) {
    let mut command = Command::new(binary);
    command.arg("--port=0");
    let (process, line) = start(command, "started successfully on port");
    let port: u16 = line
        .rsplit(' ')
        .next()
        .and_then(|p| p.trim_end_matches('.').parse().ok())
        .unwrap_or_else(|| panic!("no port in chromedriver's `{line}`"));
    (process, format!("http://127.0.0.1:{port}"))
}

/// A folder with copies of some curated scenarios.
fn scenarios(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for name in names {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// A DevTools command sent through chromedriver (`goog/cdp/execute`): what
/// WebDriver has no word for (the phone's viewport, full-page screenshots,
/// where downloads go).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Headless Chromium, with the flags a closed network needs, a fresh
/// profile and downloads going into `downloads`.
async fn browser(driver: &str, profile: &Path, downloads: &Path, chromium: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,800",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": chromium,
            "args": args,
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
            },
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(driver)
        .await
        .expect("chromedriver opens a session");
    cdp(
        &client,
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads }),
    )
    .await;
    client
}

async fn cdp(client: &Client, cmd: &'static str, params: Value) -> Value {
    client
        .issue_cmd(Cdp { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// Runs `body` (the body of a function) in the page; returns its value.
async fn eval(client: &Client, body: &str) -> Value {
    client
        .execute(body, vec![])
        .await
        .unwrap_or_else(|e| panic!("the page failed on `{body}`: {e}"))
}

/// Waits until `condition` (a JavaScript expression) is true in the page;
/// panics with `what` and the page's text after `seconds`.
async fn wait_for(client: &Client, condition: &str, what: &str, seconds: u64) {
    let until = Instant::now() + Duration::from_secs(seconds);
    loop {
        if eval(client, &format!("return !!({condition});")).await == Value::Bool(true) {
            return;
        }
        if Instant::now() > until {
            let text = eval(client, "return document.body.innerText;").await;
            panic!("waited {seconds} s for {what} ({condition}); the page says:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The page `width` × `height` CSS pixels (a phone's when `mobile`).
async fn viewport(client: &Client, width: u32, height: u32, mobile: bool) {
    cdp(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
    )
    .await;
}

/// Saves a screenshot of the whole page (beyond the screen's height) as
/// `target/workbench-screenshots/NAME.png`; returns the page's width and
/// height in CSS pixels.
async fn screenshot(client: &Client, name: &str) -> (f64, f64) {
    let size = eval(
        client,
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight, window.innerWidth];",
    )
    .await;
    let (width, height) = (
        size[2].as_f64().unwrap(),
        size[1].as_f64().unwrap().min(6000.0),
    );
    let shot = cdp(
        client,
        "Page.captureScreenshot",
        json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
        }),
    )
    .await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/workbench-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    (size[0].as_f64().unwrap(), size[1].as_f64().unwrap())
}

/// Saves the part of the page from the top of `selector` down, `height`
/// CSS pixels tall and as wide as the screen, as
/// `target/workbench-screenshots/NAME.png` (the pictures of the docs).
async fn screenshot_from(client: &Client, name: &str, selector: &str, height: u32) {
    let top = eval(
        client,
        &format!("return document.querySelector('{selector}').getBoundingClientRect().top + window.scrollY;"),
    )
    .await;
    let width = eval(client, "return window.innerWidth;").await;
    let shot = cdp(
        client,
        "Page.captureScreenshot",
        json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": top, "width": width, "height": height, "scale": 1 },
        }),
    )
    .await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/workbench-screenshots");
    std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
}

/// Clicks the element `selector` names.
async fn click(client: &Client, selector: &str) {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no `{selector}` on the page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click `{selector}`: {e}"));
}

/// Waits for a file ending in `.extension` to be downloaded whole into `dir`.
async fn downloaded(dir: &Path, extension: &str) -> PathBuf {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let found = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == extension));
        if let Some(path) = found {
            return path;
        }
        assert!(
            Instant::now() < until,
            "no .{extension} file was downloaded into {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planner_edits_runs_compares_and_exports() {
    let found = (
        program("CCSIM_CHROMIUM", "/usr/bin/chromium"),
        program("CCSIM_CHROMEDRIVER", "/usr/bin/chromedriver"),
    );
    let (chromium, driver) = match found {
        (Ok(chromium), Ok(driver)) => (chromium, driver),
        (Err(missing), _) | (_, Err(missing)) if std::env::var_os("CI").is_some() => panic!(
            "chromium not installed (no {}) while CI is set: install it \
             (`apt-get install -y chromium chromium-driver`, as .ci/run does)",
            missing.display()
        ),
        _ => {
            eprintln!("skipped: chromium not installed");
            return;
        }
    };
    let folder = scenarios(&["quickstart.toml", "sector-lines.toml"]);
    let (_server, url) = serve(folder.path());
    let (_driver, driver_url) = chromedriver(&driver);
    let profile = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let client = browser(&driver_url, profile.path(), downloads.path(), &chromium).await;
    viewport(&client, 1280, 800, false).await;
    client.goto(&format!("{url}/")).await.unwrap();

    steps(&client, &url, folder.path(), downloads.path()).await;

    client.close().await.unwrap();
}

/// The call reachability the results show, as a share (0.883 for "88.3%").
async fn shown_reachability(client: &Client) -> f64 {
    let text = eval(
        client,
        "const row = [...document.querySelectorAll('#figures tr')].find(r => r.cells[0] && r.cells[0].textContent === 'call'); \
         return row ? row.cells[1].textContent : null;",
    )
    .await;
    let text = text
        .as_str()
        .expect("the results show the call reachability");
    text.trim_end_matches('%').parse::<f64>().unwrap() / 100.0
}

/// Runs the open scenario and waits for a result other than `before`.
async fn run(client: &Client, before: Option<u64>) -> u64 {
    click(client, "#run").await;
    let condition = format!(
        "!document.getElementById('results').hidden && window.WB.run && window.WB.run !== {} \
         && document.getElementById('export-links') && !document.getElementById('export-links').hidden \
         && document.querySelector('#export-links a').href.includes('/api/export/' + window.WB.run + '/')",
        before.unwrap_or(0)
    );
    wait_for(client, &condition, "the run's results", 30).await;
    eval(client, "return window.WB.run;")
        .await
        .as_u64()
        .unwrap()
}

/// What the planner does.
async fn steps(client: &Client, url: &str, folder: &Path, downloads: &Path) {
    let _ = url;
    // The library lists the folder's scenarios; open the one with a grid.
    wait_for(
        client,
        "document.querySelector('#scenarios button[data-name=\"sector-lines.toml\"]')",
        "the library",
        10,
    )
    .await;
    click(client, "#scenarios button[data-name=\"sector-lines.toml\"]").await;
    let cell = "table.grid[data-pool=\"frontline\"] tr[data-day=\"default\"] input[data-col=\"0\"]";
    wait_for(
        client,
        &format!("document.querySelector('{cell}')"),
        "the staffing grid",
        10,
    )
    .await;
    wait_for(
        client,
        "document.getElementById('plans-scenario').textContent === 'sector-lines.toml'",
        "the plans section",
        10,
    )
    .await;
    client
        .find(Locator::Css("#replications"))
        .await
        .unwrap()
        .send_keys("20")
        .await
        .unwrap();

    // Run as it is, then with 2 agents instead of 30 at 09:00 on weekdays.
    let first = run(client, None).await;
    let before = shown_reachability(client).await;
    let input = client.find(Locator::Css(cell)).await.unwrap();
    assert_eq!(input.prop("value").await.unwrap().as_deref(), Some("30"));
    // Typed as a planner types: the cell's value, then its `change` event
    // (leaving the cell), which sends the edit to the server.
    eval(
        client,
        &format!(
            "const i = document.querySelector('{cell}'); i.scrollIntoView(); i.focus(); \
             i.value = '2'; i.dispatchEvent(new Event('input', {{bubbles: true}})); \
             i.dispatchEvent(new Event('change', {{bubbles: true}})); return true;"
        ),
    )
    .await;
    wait_for(
        client,
        "window.WB.dirty && /default = \\[2, 36/.test(window.WB.text)",
        "the edited staffing in the scenario text",
        10,
    )
    .await;
    let second = run(client, Some(first)).await;
    let after = shown_reachability(client).await;
    assert!(
        after < before - 0.005,
        "2 agents instead of 30 at 09:00 should cost reachability: {before} before, {after} after"
    );

    // Peaks: add one to the first theme from the Peaks tab, see it in the
    // scenario's text and in the list; remove it, and the text is as before.
    click(client, "#tabs button[data-tab=\"peaks\"]").await;
    wait_for(
        client,
        "document.getElementById('peak-add')",
        "the peak form",
        10,
    )
    .await;
    let before_peak = eval(client, "return window.WB.text;").await;
    eval(
        client,
        "document.getElementById('peak-from').value = '2021-06-16'; \
         document.getElementById('peak-to').value = '2021-06-18'; \
         document.getElementById('peak-factor').value = '3'; \
         document.getElementById('peak-shape').value = 'ramp'; \
         document.getElementById('peak-add').click(); return true;",
    )
    .await;
    wait_for(
        client,
        "/peaks = \\[\\{ from = 2021-06-16, to = 2021-06-18, factor = 3\\.0, shape = \"ramp\" \\}\\]/.test(window.WB.text) \
         && document.querySelector('[data-remove-peak=\"way_finding/0\"]')",
        "the new peak in the text and in the list",
        10,
    )
    .await;
    click(client, "[data-remove-peak=\"way_finding/0\"]").await;
    wait_for(
        client,
        &format!(
            "window.WB.text === {} && !document.querySelector('[data-remove-peak]')",
            before_peak
        ),
        "the text as before the peak",
        10,
    )
    .await;
    click(client, "#tabs button[data-tab=\"staffing\"]").await;

    // The workbook of the edited run, read back: its call reachability is
    // the run's (the JSON the page reads).
    click(client, "#export-workbook-xlsx").await;
    let book = downloaded(downloads, "xlsx").await;
    let json = eval(
        client,
        &format!("return fetch('/api/runs/{second}').then(r => r.json());"),
    )
    .await;
    let reach_json = json["key_figures"]["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "call")
        .unwrap()["reachability"]["mean"]
        .as_f64()
        .unwrap();
    let reach_xlsx = {
        use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
        let mut wb: Xlsx<_> = open_workbook(&book).unwrap();
        let sheet = wb.worksheet_range("Key figures").unwrap();
        sheet
            .rows()
            .find(|r| {
                r.len() > 3
                    && r[0] == Data::String("channel".into())
                    && r[1] == Data::String("call".into())
                    && matches!(&r[2], Data::String(s) if s.starts_with("Reachability"))
            })
            .and_then(|r| r[3].as_f64())
            .expect("the workbook has the call reachability")
    };
    assert!(
        (reach_xlsx - reach_json).abs() < 1e-12,
        "the workbook says {reach_xlsx}, the run's JSON {reach_json}"
    );
    assert!(
        (reach_json - after).abs() < 0.0006,
        "the page shows {after}, the JSON {reach_json}"
    );

    // Save the edited scenario as a variant, and compare it with the file.
    client
        .find(Locator::Css("#plans-variant"))
        .await
        .unwrap()
        .send_keys("fewer-at-nine")
        .await
        .unwrap();
    click(client, "#plans-save").await;
    wait_for(
        client,
        "document.getElementById('plans-save-msg').textContent.startsWith('Saved')",
        "the variant saved",
        10,
    )
    .await;
    let saved =
        std::fs::read_to_string(folder.join("sector-lines.plan-fewer-at-nine.toml")).unwrap();
    assert!(
        saved.contains("default = [2, 36,"),
        "the variant keeps the edit:\n{saved}"
    );
    assert!(
        saved.contains("# A general line and a sector line"),
        "and the file's comments"
    );
    wait_for(
        client,
        "document.getElementById('plans-b').value === 'sector-lines.plan-fewer-at-nine.toml'",
        "the variant chosen as B",
        10,
    )
    .await;
    click(client, "#plans-compare").await;
    wait_for(
        client,
        "document.getElementById('plans-compare-table')",
        "the comparison",
        30,
    )
    .await;
    let cell = eval(
        client,
        "const r = document.querySelector('#plans-compare-table tr[data-metric=\"reachability\"][data-scope=\"channel\"][data-channel=\"call\"]'); \
         return r ? [r.cells[2].className, r.cells[2].textContent] : null;",
    )
    .await;
    assert_eq!(
        cell[0], "n down",
        "B's call reachability is lower beyond chance: {cell}"
    );
    assert!(
        cell[1].as_str().unwrap().contains('*'),
        "and starred: {cell}"
    );

    // Sweep every pool's staffing from 0.8 to 1.2: the curve climbs.
    click(client, "#plans-sweep").await;
    wait_for(client, "document.querySelectorAll('#plans-sweep-table tr').length === 6 && document.querySelector('#plans-sweep-result svg')", "the sweep", 30).await;
    let curve = eval(
        client,
        "return [...document.querySelectorAll('#plans-sweep-table tr')].slice(1).map(r => parseFloat(r.cells[1].textContent));",
    )
    .await;
    let curve: Vec<f64> = curve
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        curve.windows(2).all(|w| w[1] > w[0]),
        "more staff, more reachability: {curve:?}"
    );

    // Screenshots: the desktop, then a phone, which must not scroll sideways.
    let (width, _) = screenshot(client, "desktop").await;
    assert!(width <= 1280.0, "the page is {width} px wide at 1280");
    screenshot_from(client, "desktop-top", "body", 800).await;
    screenshot_from(client, "desktop-plans", "#plans", 800).await;
    viewport(client, 390, 844, true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(client, "phone").await;
    // Nothing of the plans and the export reaches past the phone's screen
    // unless inside a box that scrolls sideways.
    let wide = eval(
        client,
        "const out = []; const vw = document.documentElement.clientWidth; \
         const scrolls = (e) => { for (let b = e.parentElement; b; b = b.parentElement) { \
           const o = getComputedStyle(b).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; }; \
         for (const e of document.querySelectorAll('#plans *, #export *')) { const r = e.getBoundingClientRect(); \
           if (r.right > vw + 1 && !scrolls(e)) out.push(e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(r.right)); } \
         return out.slice(0, 12);",
    )
    .await;
    assert_eq!(wide, json!([]), "too wide for a 390 px phone");
    // Each figure and each CI of the results table reads on one line.
    let wrapped = eval(
        client,
        "const out = []; for (const td of document.querySelectorAll('#figures td')) { \
           const r = document.createRange(); r.selectNodeContents(td); \
           const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top))); \
           if (lines.size > 1) out.push(td.textContent); } return out;",
    )
    .await;
    assert_eq!(wrapped, json!([]), "cells broken over lines on a phone");
}
