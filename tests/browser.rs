//! The report looked at in a real browser (issue 15, item 13): headless
//! Chromium opens `report.html` at phone width (400 px) and measures it. The
//! page must not be wider than the screen, every table cell must be reachable
//! (on the screen or inside a box that scrolls sideways), numbers must not
//! wrap, and the charts' text must stay legible (at least 9 px).
//!
//! Needs `/usr/bin/chromium` (Debian's `chromium` package; `CCSIM_CHROMIUM`
//! names another binary). Without it the test prints "skipped: chromium not
//! installed" and passes, except under CI (the `CI` environment variable
//! set), where it fails: `.ci/run` installs chromium first.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

/// Smallest chart text, in CSS pixels on the screen, that still reads.
const LEGIBLE_PX: f64 = 9.0;

/// Measures the page once it is laid out and writes the figures, as JSON,
/// into a `<pre id="ccsim-measure">` that `--dump-dom` prints.
const MEASURE: &str = r#"<script>
window.addEventListener('load', () => {
  const vw = document.documentElement.clientWidth;
  const scrollBox = (el) => {
    for (let b = el.parentElement; b && b !== document.body; b = b.parentElement) {
      const o = getComputedStyle(b).overflowX;
      if (o === 'auto' || o === 'scroll') return b;
    }
    return null;
  };
  // An element is clipped when it reaches past the screen and no box that
  // scrolls sideways (itself on the screen) lets the reader get to it.
  const clipped = [];
  for (const el of document.querySelectorAll('td, th, figure svg')) {
    const r = el.getBoundingClientRect();
    if (r.left >= -0.5 && r.right <= vw + 0.5) continue;
    const box = scrollBox(el);
    const b = box && box.getBoundingClientRect();
    if (!box || b.left < -0.5 || b.right > vw + 0.5 || r.right > b.left + box.scrollWidth + 0.5) {
      clipped.push((el.textContent || el.tagName).trim().slice(0, 40));
    }
  }
  // Numbers that wrap onto a second line.
  const wrapped = [];
  for (const td of document.querySelectorAll('td.n')) {
    const range = document.createRange();
    range.selectNodeContents(td);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (tops.size > 1) wrapped.push(td.textContent.trim());
  }
  // The rendered size of chart text: its font size times the SVG's scale.
  let smallest = Infinity, smallestText = '', texts = 0;
  for (const t of document.querySelectorAll('figure svg text')) {
    if (!t.textContent.trim()) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    texts += 1;
    if (px < smallest) { smallest = px; smallestText = t.textContent.trim(); }
  }
  parent.postMessage(JSON.stringify({
    viewport: vw,
    scroll_width: document.documentElement.scrollWidth,
    cells: document.querySelectorAll('td, th').length,
    clipped, wrapped, texts,
    smallest_text_px: smallest, smallest_text: smallestText,
  }), '*');
});
</script>"#;

/// The page the browser opens: the report in a frame `width` px wide (a
/// headless window is at least 500 px wide), and the measurements the
/// report's copy posts, in a `<pre id="ccsim-measure">`.
fn frame(width: u32) -> String {
    format!(
        "<!DOCTYPE html><html><body style=\"margin:0\">\
         <iframe src=\"probe.html\" width=\"{width}\" height=\"900\" style=\"border:0\"></iframe>\
         <script>window.addEventListener('message', (e) => {{\
           const pre = document.createElement('pre'); pre.id = 'ccsim-measure';\
           pre.textContent = e.data; document.body.appendChild(pre); }});</script>\
         </body></html>"
    )
}

/// The browser: `CCSIM_CHROMIUM`, else `/usr/bin/chromium`; Err names the
/// path that is missing.
fn chromium() -> Result<PathBuf, PathBuf> {
    let path = std::env::var_os("CCSIM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.exists() { Ok(path) } else { Err(path) }
}

/// The measurements of `page` opened `width` px wide.
fn measure(browser: &Path, page: &Path, width: u32) -> serde_json::Value {
    let html = fs::read_to_string(page).unwrap();
    let probe = page.with_file_name("probe.html");
    fs::write(
        &probe,
        html.replacen("</body>", &format!("{MEASURE}</body>"), 1),
    )
    .unwrap();
    let framed = page.with_file_name("frame.html");
    fs::write(&framed, frame(width)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Process::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            "--window-size=800,900",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", framed.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"ccsim-measure\">").unwrap_or_else(|| {
        panic!(
            "chromium printed no measurements (exit {:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    }) + "<pre id=\"ccsim-measure\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn the_report_reads_on_a_phone() {
    let browser = match chromium() {
        Ok(browser) => browser,
        Err(missing) if std::env::var_os("CI").is_some() => panic!(
            "chromium not installed (no {}) while CI is set: install it \
             (`apt-get install -y chromium`, as .ci/run does)",
            missing.display()
        ),
        Err(_) => {
            eprintln!("skipped: chromium not installed (the_report_reads_on_a_phone)");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q2");
    // Three channels, two pools, e-mail ASA in days: the widest tables.
    Command::cargo_bin("ccsim")
        .unwrap()
        .args([
            "run",
            "scenarios/vlaanderen-1700-2021q2.toml",
            "-r",
            "2",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let m = measure(&browser, &out.join("report.html"), 400);
    eprintln!("at 400 px: {m}");
    assert_eq!(m["viewport"], 400, "{m}");
    assert!(m["cells"].as_u64().unwrap() > 40, "{m}");
    assert!(
        m["scroll_width"].as_f64().unwrap() <= 400.0,
        "the page is wider than a 400 px screen: {m}"
    );
    assert_eq!(
        m["clipped"],
        serde_json::json!([]),
        "table cells or charts cut off at 400 px: {m}"
    );
    assert_eq!(
        m["wrapped"],
        serde_json::json!([]),
        "numbers wrap at 400 px: {m}"
    );
    assert!(m["texts"].as_u64().unwrap() > 100, "{m}");
    assert!(
        m["smallest_text_px"].as_f64().unwrap() >= LEGIBLE_PX,
        "chart text smaller than {LEGIBLE_PX} px at 400 px: {m}"
    );
}
