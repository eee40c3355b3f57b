//! `cargo xtask docs`: a self-contained HTML API reference, checked in
//! headless Chromium.
//!
//! Redocly `build-docs --inlineBundle` (no CDN; CLI and page telemetry off)
//! writes `target/api-reference.html`. Chromium (Debian's package) loads it
//! with every host name unresolvable, so the page must render from the file
//! alone; the rendered DOM must name every operation (operationId or
//! summary), and a screenshot is saved as `target/api-reference.png`.

use std::{path::Path, process::Command, time::Duration};

use acquire_spec::Spec;
use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::{
    bundle,
    findings::{self, Finding},
    lint, tools,
    util::{self, run_ok},
};

const TIMEOUT: Duration = Duration::from_secs(180);

pub fn run() -> Result<()> {
    let root = util::root();
    let bundle = bundle::bundle(&root)?;
    let spec_json = bundle.write_scratch()?;
    let node = tools::node()?;
    let chromium = tools::chromium()?;

    let html = util::target_dir().join("api-reference.html");
    let screenshot = util::target_dir().join("api-reference.png");
    run_ok(
        node.command("redocly")
            .arg("build-docs")
            .arg(&spec_json)
            .arg("--inlineBundle")
            .arg("--openapi.disableTelemetry=true")
            .arg("--config")
            .arg(root.join(lint::REDOCLY_CONFIG))
            .arg("--title")
            .arg("Acquire Cases API reference")
            .arg("-o")
            .arg(&html),
        TIMEOUT,
    )
    .context("redocly build-docs")?;
    let page = util::read(&html)?;
    let mut findings = self_contained(&page);

    let spec = Spec::load(root.join(util::SPEC_YAML)).context("loading the spec")?;
    let operations = spec.operations();
    let url = format!("file://{}", html.display());

    // The overview links operations as `#/<tag>/<operationId>`; its menu
    // only renders what fits the window, so an operation it does not link is
    // looked for under its first tag.
    let overview = rendered(&chromium, &url, "overview")?;
    let mut routes: Vec<(String, Vec<&acquire_spec::Operation>)> = Vec::new();
    for op in &operations {
        let id = op.operation_id.as_deref().unwrap_or_default();
        let tag = op.value.pointer("/tags/0").and_then(Value::as_str);
        match tag_route(&overview.html, id).or(tag.map(|tag| format!("/{tag}"))) {
            Some(tag_route) if !id.is_empty() => {
                match routes.iter_mut().find(|(t, _)| *t == tag_route) {
                    Some((_, ops)) => ops.push(op),
                    None => routes.push((tag_route, vec![op])),
                }
            }
            _ => findings.push(missing(op, &format!("{url} (overview)"))),
        }
    }
    // Each tag's page lists its operations by summary.
    for (tag_route, ops) in &routes {
        let first = ops[0].operation_id.as_deref().unwrap_or_default();
        let page_url = format!("{url}#{tag_route}/{first}");
        let page = rendered(&chromium, &page_url, tag_route)?;
        for op in ops {
            let summary = op.value["summary"].as_str();
            let id = op.operation_id.as_deref().unwrap_or_default();
            let found = match summary {
                Some(summary) => page.text.contains(summary),
                None => page.html.contains(&format!("/{id}\"")),
            };
            if !found {
                findings.push(missing(op, &page_url));
            }
        }
    }

    let shot: &str = &format!("--screenshot={}", screenshot.display());
    let shot = [shot, "--window-size=1280,1600", "--hide-scrollbars"];
    chromium_run(&chromium, &url, &shot)?;
    if !screenshot.is_file() {
        bail!("chromium did not write {}", util::rel(&screenshot));
    }
    findings::report("docs", &findings)?;
    eprintln!(
        "docs: {} rendered with all {} operations; screenshot {}",
        util::rel(&html),
        operations.len(),
        util::rel(&screenshot)
    );
    Ok(())
}

/// What Chromium rendered: the DOM without scripts and styles (the page
/// embeds the spec in a script), and its text.
struct Rendered {
    html: String,
    text: String,
}

/// Dumps the rendered DOM of `url`; retries while the page still says
/// "Loading..." (Redoc renders sections after load).
fn rendered(chromium: &Path, url: &str, what: &str) -> Result<Rendered> {
    let mut last = String::new();
    for attempt in 1..=3 {
        let dom = chromium_run(chromium, url, &["--dump-dom", "--window-size=1280,1600"])?.stdout;
        let html = strip_element(&strip_element(&dom, "script"), "style");
        let text = text_of(&html);
        if text.contains("Failed to load API description") {
            bail!("the reference page shows \"Failed to load API description\" at {url}");
        }
        if !text.contains("Loading...") && !text.trim().is_empty() {
            let name = what.trim_matches('/').replace('/', "-");
            util::write(
                &util::scratch_dir().join(format!("docs-dom/{name}.html")),
                &dom,
            )?;
            return Ok(Rendered { html, text });
        }
        eprintln!("  (page {what} still loading after attempt {attempt}; again)");
        last = text;
    }
    bail!(
        "chromium never finished rendering {url}; last text: {}",
        last.chars().take(300).collect::<String>()
    )
}

/// `/<tag>` when the DOM links the operation as `#/<tag>/<id>`.
fn tag_route(html: &str, id: &str) -> Option<String> {
    let end = html.find(&format!("/{id}\""))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    html[start..end].strip_prefix('#').map(str::to_owned)
}

fn missing(op: &acquire_spec::Operation, page: &str) -> Finding {
    Finding::new(
        util::SPEC_YAML,
        &op.pointer,
        "docs-renders-operation",
        format!(
            "{} {}: neither its operationId ({}) nor its summary ({}) is in the DOM Chromium \
             rendered from {page}",
            op.method.to_uppercase(),
            op.path,
            op.operation_id.as_deref().unwrap_or("none"),
            op.value["summary"].as_str().unwrap_or("none"),
        ),
    )
}

/// The text of an HTML fragment: tags dropped, whitespace collapsed.
fn text_of(html: &str) -> String {
    let mut parts = html.split('<');
    let first = parts.next().unwrap_or_default();
    let after_tags = parts.map(|part| part.split_once('>').map_or("", |(_, text)| text));
    let words: Vec<&str> = std::iter::once(first)
        .chain(after_tags)
        .flat_map(str::split_whitespace)
        .collect();
    unescape(&words.join(" "))
}

/// No `<script src>` or `<link href>` that loads from the network.
fn self_contained(page: &str) -> Vec<Finding> {
    let lower = page.to_ascii_lowercase();
    let elements = lower.split('<').skip(1);
    let elements = elements.filter(|e| e.starts_with("script") || e.starts_with("link"));
    let remote = ["src=\"http", "href=\"http", "src=\"//", "href=\"//"];
    elements
        .map(|element| element.split('>').next().unwrap_or_default())
        .filter(|element| remote.iter().any(|attr| element.contains(attr)))
        .map(|element| {
            let shown: String = format!("<{element}").chars().take(160).collect();
            Finding::new(
                "target/api-reference.html",
                "",
                "docs-self-contained",
                format!("the page loads from the network: {shown}"),
            )
        })
        .collect()
}

/// Runs headless Chromium on the page with a fresh profile and no network.
fn chromium_run(chromium: &Path, url: &str, extra: &[&str]) -> Result<util::Captured> {
    let profile = util::scratch_dir().join("chromium-profile");
    util::fresh_dir(&profile)?;
    let result = run_ok(
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                // Every host is unresolvable: the page must render from the file alone.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                // Let the page's scripts render before dumping or capturing.
                "--virtual-time-budget=60000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(url),
        TIMEOUT,
    )
    .with_context(|| format!("headless chromium on {url}"));
    let _ = std::fs::remove_dir_all(&profile);
    result
}

/// `html` without the `name` elements and their content.
fn strip_element(html: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut parts = html.split(open.as_str());
    let mut kept = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        kept.push_str(part.split_once(close.as_str()).map_or("", |(_, rest)| rest));
    }
    kept
}

/// Undoes the HTML escapes a summary may contain.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
