//! A progress bar on stderr, shown only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::experiment::Progress;

/// Replications done / total, with elapsed time and an estimate of the time left.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar that draws on stderr if it is a terminal, and stays hidden otherwise.
    pub fn new(label: &str) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} replications (eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar.set_message(label.to_string());
        Bar { bar }
    }

    /// Removes the bar from the screen.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
    }
    fn replication_done(&self) {
        self.bar.inc(1);
    }
}
