//! Progress of a long walk (`--all`) on stderr: pages, records and rate.
//!
//! The rule: progress is drawn only when stdout **and** stderr are both
//! terminals, so whatever a script captures (stdout into a file or a pipe,
//! stderr into a log) never holds a progress bar, whatever `--output`
//! says. The bar is cleared when the walk ends or fails, and rows printed
//! meanwhile are written with the bar out of the way.

use std::time::{Duration, Instant};

use acquire::Page;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether a walk may draw progress: only when both stdout and stderr are
/// terminals (a person is watching, and nothing of either is captured).
pub fn allowed(stdout_terminal: bool, stderr_terminal: bool) -> bool {
    stdout_terminal && stderr_terminal
}

/// The `visible` target when progress is `allowed`, a hidden one otherwise.
pub fn target(allowed: bool, visible: impl FnOnce() -> ProgressDrawTarget) -> ProgressDrawTarget {
    if allowed {
        visible()
    } else {
        ProgressDrawTarget::hidden()
    }
}

/// The progress of one walk, drawn on the target it was given. Dropping it
/// clears the bar.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    things: &'static str,
    pages: u64,
    records: u64,
    started: Instant,
}

impl Progress {
    /// Progress of a walk through `things` (`cases`), drawn on `target`.
    pub fn new(target: ProgressDrawTarget, things: &'static str) -> Self {
        let bar = ProgressBar::with_draw_target(None, target);
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            bar.set_style(style);
        }
        if !bar.is_hidden() {
            // The spinner turns while a slow page is on its way.
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        bar.set_message(format!("0 pages, 0 {things}"));
        Self {
            bar,
            things,
            pages: 0,
            records: 0,
            started: Instant::now(),
        }
    }

    /// Counts a page that arrived: `3 pages, 150 of 412 cases, 96/s`.
    pub fn page<T>(&mut self, page: &Page<T>) {
        self.pages += 1;
        self.records += page.len() as u64;
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            self.records as f64 / seconds
        } else {
            0.0
        };
        let of = page
            .count
            .map(|count| format!(" of {count}"))
            .unwrap_or_default();
        let pages = if self.pages == 1 { "page" } else { "pages" };
        self.bar.set_message(format!(
            "{} {pages}, {}{of} {}, {rate:.0}/s",
            self.pages, self.records, self.things
        ));
    }

    /// Runs `print` with the bar out of the way (rows and the bar never
    /// share a line).
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        self.bar.suspend(print)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A terminal for tests: keeps everything drawn on it.
#[cfg(test)]
pub(crate) mod capture {
    use std::{
        io,
        sync::{Arc, Mutex},
    };

    use indicatif::{ProgressDrawTarget, TermLike};

    /// What was drawn, shared with the draw target.
    #[derive(Clone, Debug, Default)]
    pub struct Capture(Arc<Mutex<String>>);

    impl Capture {
        /// A visible draw target writing into this capture.
        pub fn target(&self) -> ProgressDrawTarget {
            ProgressDrawTarget::term_like(Box::new(self.clone()))
        }

        /// Everything drawn so far.
        pub fn text(&self) -> String {
            self.0.lock().map(|t| t.clone()).unwrap_or_default()
        }

        fn push(&self, s: &str) -> io::Result<()> {
            if let Ok(mut text) = self.0.lock() {
                text.push_str(s);
            }
            Ok(())
        }
    }

    impl TermLike for Capture {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.push(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.push(s)
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{capture::Capture, *};

    #[test]
    fn progress_is_allowed_only_when_stdout_and_stderr_are_terminals() {
        assert!(allowed(true, true));
        assert!(!allowed(true, false), "stderr captured (2> log)");
        assert!(!allowed(false, true), "stdout into a file or a pipe");
        assert!(!allowed(false, false));
        assert!(target(false, ProgressDrawTarget::stderr).is_hidden());
        let capture = Capture::default();
        assert!(!target(true, || capture.target()).is_hidden());
    }
}
