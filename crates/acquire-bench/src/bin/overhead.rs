//! Item 1: the ergonomic client (`acquire`) vs raw reqwest + serde_json
//! doing the same requests (create a case, get it, one list page) against the
//! same fake server, sequentially and with N concurrent tasks, interleaved.
//!
//! Each round runs a batch of each side, rotating which goes first. The
//! sides: the client as configured by default (drift detection on), the
//! same client with drift detection off (what detection itself costs), and
//! raw reqwest. A batch is `--batch` triples (create, get, list) per task. The figure of a
//! batch is its wall time divided by the triples it made; the summary (one
//! JSON object on stdout) has every batch of every side.

#![forbid(unsafe_code)]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use acquire::{Client, ContactId};
use acquire_api::Operation;
use acquire_bench::{
    overhead::{CONTACT, LIMIT, OPERATIONS, PAGE},
    Fake,
};
use anyhow::{bail, Context, Result};
use clap::Parser;
use reqwest::Method;
use serde_json::{json, Value};

/// Ergonomic client vs raw reqwest, interleaved.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    fake: Fake,
    /// Rounds (each runs one batch of each side).
    #[arg(long, default_value_t = 15)]
    rounds: usize,
    /// Triples per task per batch.
    #[arg(long, default_value_t = 40)]
    batch: usize,
    /// Concurrent tasks (1 = sequential).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// The default client: drift detection on.
    Client,
    /// The same client with drift detection off.
    Undetected,
    Raw,
}

/// The raw side: reqwest configured like the client's default, JSON as
/// `serde_json::Value`, a status check and the fields the client reads. The
/// methods and paths are the spec's ([`acquire_api::OPERATIONS`]).
struct Raw {
    http: reqwest::Client,
    base: String,
    auth: String,
    create: &'static Operation,
    get: &'static Operation,
    list: &'static Operation,
}

impl Raw {
    /// A request of `op` to `path` (its template filled), authorized.
    fn request(&self, op: &Operation, path: &str) -> Result<reqwest::RequestBuilder> {
        let method = Method::from_bytes(op.method.as_bytes())?;
        Ok(self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(reqwest::header::AUTHORIZATION, &self.auth))
    }

    async fn create(&self) -> Result<i64> {
        let op = self.create;
        let response = self
            .request(op, op.path)?
            .query(&[("contactId", CONTACT)])
            .json(&json!({"title": "Benchmark"}))
            .send()
            .await?;
        let body: Value = ok_json(response).await?;
        body["data"]["id"]
            .as_i64()
            .context("create: no data.id in the answer")
    }

    async fn get(&self, id: i64) -> Result<()> {
        let op = self.get;
        let path = op
            .path_with(&[("caseId", &id)])
            .context("get_case: a path parameter other than caseId")?;
        let response = self.request(op, &path)?.send().await?;
        let body: Value = ok_json(response).await?;
        if body["data"]["id"].as_i64() != Some(id) {
            bail!("get: another case came back");
        }
        Ok(())
    }

    async fn list(&self) -> Result<usize> {
        let op = self.list;
        let response = self
            .request(op, op.path)?
            .query(&[("page", PAGE), ("limit", LIMIT)])
            .send()
            .await?;
        let body: Value = ok_json(response).await?;
        body["data"]["data"]
            .as_array()
            .map(Vec::len)
            .context("list: no data.data array")
    }
}

async fn ok_json(response: reqwest::Response) -> Result<Value> {
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {
        bail!("HTTP {status}: {}", String::from_utf8_lossy(&bytes));
    }
    Ok(serde_json::from_slice(&bytes)?)
}

async fn client_triple(client: &Client) -> Result<()> {
    let case = client
        .cases()
        .create(ContactId(CONTACT))
        .title("Benchmark")
        .send()
        .await?;
    let got = client.cases().get(case.id).send().await?;
    if got.id != case.id {
        bail!("get: another case came back");
    }
    let page = client.cases().list().page(PAGE).limit(LIMIT).send().await?;
    if page.is_empty() {
        bail!("list: an empty page");
    }
    Ok(())
}

async fn raw_triple(raw: &Raw) -> Result<()> {
    let id = raw.create().await?;
    raw.get(id).await?;
    if raw.list().await? == 0 {
        bail!("list: an empty page");
    }
    Ok(())
}

/// Runs one batch; returns nanoseconds per triple.
async fn batch(
    side: Side,
    clients: &Clients,
    raw: &Arc<Raw>,
    tasks: usize,
    per_task: usize,
) -> Result<f64> {
    let start = Instant::now();
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let client = Arc::clone(match side {
            Side::Undetected => &clients.undetected,
            _ => &clients.detecting,
        });
        let raw = Arc::clone(raw);
        handles.push(tokio::spawn(async move {
            for _ in 0..per_task {
                match side {
                    Side::Client | Side::Undetected => client_triple(&client).await?,
                    Side::Raw => raw_triple(&raw).await?,
                }
            }
            anyhow::Ok(())
        }));
    }
    for handle in futures::future::join_all(handles).await {
        handle.context("a task panicked")??;
    }
    Ok(start.elapsed().as_nanos() as f64 / (tasks * per_task) as f64)
}

/// The two clients measured: drift detection on (the default) and off.
struct Clients {
    detecting: Arc<Client>,
    undetected: Arc<Client>,
}

fn main() -> Result<()> {
    acquire_bench::block_on(run(Args::parse()))
}

async fn run(args: Args) -> Result<()> {
    let client = Clients {
        detecting: Arc::new(args.fake.client()?),
        undetected: Arc::new(args.fake.client_without_drift_detection()?),
    };
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(acquire::DEFAULT_USER_AGENT)
        .build()?;
    let [create, get, list] = OPERATIONS.map(Operation::find);
    let raw = Arc::new(Raw {
        http,
        base: args.fake.base_url.trim_end_matches('/').to_owned(),
        auth: format!("Bearer {}", args.fake.api_key),
        create: create.context("no create_case operation")?,
        get: get.context("no get_case operation")?,
        list: list.context("no list_cases operation")?,
    });
    let tasks = args.concurrency.max(1);
    // Warm-up: connections open, caches warm, for both sides.
    let sides = [Side::Client, Side::Raw, Side::Undetected];
    for side in sides {
        batch(side, &client, &raw, tasks, 5).await?;
    }
    let mut client_ns = Vec::new();
    let mut undetected_ns = Vec::new();
    let mut raw_ns = Vec::new();
    for round in 0..args.rounds {
        let mut order = sides;
        order.rotate_left(round % sides.len());
        for side in order {
            let ns = batch(side, &client, &raw, tasks, args.batch).await?;
            match side {
                Side::Client => client_ns.push(ns),
                Side::Undetected => undetected_ns.push(ns),
                Side::Raw => raw_ns.push(ns),
            }
        }
    }
    println!(
        "{}",
        json!({
            "concurrency": tasks,
            "batch": args.batch,
            "rounds": args.rounds,
            "client_ns_per_triple": client_ns,
            "undetected_ns_per_triple": undetected_ns,
            "raw_ns_per_triple": raw_ns,
        })
    );
    Ok(())
}
