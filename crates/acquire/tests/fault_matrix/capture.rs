//! Capturing logs and panics: every log line (tracing and `log`, at
//! TRACE) and every panic message of the run, searched for the API key.

use std::sync::OnceLock;

use crate::support::Captured;

/// Forwards `log` records (reqwest, rustls) into the same capture.
struct LogCapture(Captured);

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        self.0.push(&format!(
            "{} {} {}\n",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

static LOGS: OnceLock<Captured> = OnceLock::new();
static PANICS: OnceLock<Captured> = OnceLock::new();

/// Installs the subscriber, the logger and the panic hook (once).
pub fn capture() -> (Captured, Captured) {
    let logs = LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        let installed = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        assert!(installed.is_ok(), "a tracing subscriber was already set");
        let logger: &'static LogCapture = Box::leak(Box::new(LogCapture(logs.clone())));
        assert!(log::set_logger(logger).is_ok(), "a logger was already set");
        log::set_max_level(log::LevelFilter::Trace);
        logs
    });
    let panics = PANICS.get_or_init(|| {
        let panics = Captured::default();
        let sink = panics.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            sink.push(&format!("{info}\n"));
            previous(info);
        }));
        panics
    });
    (logs.clone(), panics.clone())
}
