//! What a long build shows while it runs — a bar per stage on a terminal — and the
//! time each stage took, for the summary at the end. Quiet when standard error is
//! not a terminal or the command was told to be quiet; the times are kept anyway.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The stages of one run.
pub struct Stages {
    bars: Option<MultiProgress>,
    done: Mutex<Vec<(&'static str, Duration)>>,
}

impl Stages {
    /// Bars when `show` and standard error is a terminal.
    pub fn new(show: bool) -> Stages {
        let target = ProgressDrawTarget::stderr();
        let bars = (show && !target.is_hidden()).then(|| MultiProgress::with_draw_target(target));
        Stages { bars, done: Mutex::new(Vec::new()) }
    }

    /// No bars (tests, `check`, `serve`).
    pub fn hidden() -> Stages {
        Stages { bars: None, done: Mutex::new(Vec::new()) }
    }

    /// Start a stage of `len` steps (0: steps unknown).
    pub fn start(&self, name: &'static str, len: u64) -> Stage<'_> {
        let bar = self.bars.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new(len));
            let template = if len > 0 {
                "{prefix:>10} [{bar:30}] {pos}/{len} {elapsed}"
            } else {
                "{prefix:>10} {spinner} {elapsed}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_prefix(name);
            bar
        });
        Stage { stages: self, name, bar, start: Instant::now() }
    }

    /// Each finished stage and how long it took, in order.
    pub fn times(&self) -> Vec<(&'static str, Duration)> {
        self.done.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A stage running; its time is recorded when it is dropped.
pub struct Stage<'a> {
    stages: &'a Stages,
    name: &'static str,
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Stage<'_> {
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }
}

impl Drop for Stage<'_> {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
        self.stages.done.lock().unwrap_or_else(|e| e.into_inner()).push((self.name, self.start.elapsed()));
    }
}
