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

/// Stage times, each since the previous lap.
pub struct Laps {
    pub clock: Instant,
    pub stages: Vec<Stage>,
}

impl Laps {
    pub fn lap(&mut self, name: &'static str, items: usize) {
        self.stages.push(Stage { name, seconds: self.clock.elapsed().as_secs_f64(), items });
        self.clock = Instant::now();
    }
}

/// The CLI's [`Observer`]: a progress display per stage on a terminal,
/// and each stage's time since the previous one for summary.json.
pub struct StageObserver<'a> {
    messages: &'a Messages,
    bar: Mutex<Option<StageBar>>,
    laps: Mutex<(Instant, Vec<Stage>)>,
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
        let mut laps = self.laps.lock().expect("not poisoned");
        let seconds = laps.0.elapsed().as_secs_f64();
        laps.1.push(Stage { name: stage.name(), seconds, items });
        laps.0 = Instant::now();
    }
}

impl<'a> StageObserver<'a> {
    pub fn new(messages: &'a Messages) -> StageObserver<'a> {
        StageObserver { messages, bar: Mutex::new(None), laps: Mutex::new((Instant::now(), Vec::new())) }
    }

    /// The stages seen, each timed from the end of the one before.
    pub fn into_stages(self) -> Vec<Stage> {
        self.laps.into_inner().expect("not poisoned").1
    }
}
