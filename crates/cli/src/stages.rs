//! Stage times and progress displays of a scan: the CLI's
//! [`Observer`] of `reprint_core::scanner::Scanner`.

use std::sync::Mutex;
use std::time::Instant;

use reprint_core::scanner::{Observer, Stage as ScanStage};

use crate::messages::{Messages, StageBar};

/// A stage's time and rate, for stderr and summary.json.
pub struct Stage {
    pub name: &'static str,
    pub seconds: f64,
    pub items: usize,
}

/// Prints each stage's time and rate on stderr (through `messages`).
pub fn print(stages: &[Stage], messages: &Messages) {
    for s in stages.iter().filter(|s| s.items > 0) {
        let unit = if s.name == "pairs" { "pairs" } else { "docs" };
        let rate = s.items as f64 / s.seconds.max(1e-9);
        messages.info(&format!("  {:<16} {:>8.2} s  {:>10.0} {unit}/s", s.name, s.seconds, rate));
    }
}

/// Stage times, each since the previous lap.
pub struct Laps {
    clock: Instant,
    stages: Vec<Stage>,
}

impl Laps {
    /// Starts the clock.
    pub fn start() -> Laps {
        Laps { clock: Instant::now(), stages: Vec::new() }
    }

    /// The stages so far.
    pub fn into_stages(self) -> Vec<Stage> {
        self.stages
    }

    /// Ends a stage named `name` that handled `items`.
    pub fn lap(&mut self, name: &'static str, items: usize) {
        self.stages.push(Stage { name, seconds: self.clock.elapsed().as_secs_f64(), items });
        self.clock = Instant::now();
    }
}

/// The CLI's [`Observer`]: a progress display per stage on a terminal,
/// and each stage timed as a lap of the command's [`Laps`].
pub struct StageObserver<'a> {
    messages: &'a Messages,
    bar: Mutex<Option<StageBar>>,
    laps: Mutex<Laps>,
}

impl Observer for StageObserver<'_> {
    fn stage_started(&self, stage: ScanStage, total: Option<u64>) {
        // Only the stages that take a while get a display.
        let shown = stage != ScanStage::NearDuplicates;
        *self.bar.lock().expect("not poisoned") = shown.then(|| self.messages.stage(stage.name(), total));
    }

    fn progress(&self, _stage: ScanStage, done: u64) {
        if let Some(bar) = &*self.bar.lock().expect("not poisoned") {
            bar.inc(done);
        }
    }

    fn stage_finished(&self, stage: ScanStage, items: usize) {
        self.bar.lock().expect("not poisoned").take();
        self.laps.lock().expect("not poisoned").lap(stage.name(), items);
    }
}

impl<'a> StageObserver<'a> {
    /// Times the scanner's stages as further laps of `laps`.
    pub fn new(messages: &'a Messages, laps: Laps) -> StageObserver<'a> {
        StageObserver { messages, bar: Mutex::new(None), laps: Mutex::new(laps) }
    }

    /// The laps, with the scanner's stages added.
    pub fn into_laps(self) -> Laps {
        self.laps.into_inner().expect("not poisoned")
    }
}
