//! Progress bars on stderr. indicatif hides them when stderr is not a terminal, so scripts and
//! tests see only the results.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar over `total` bytes.
pub fn bytes(total: u64, message: &'static str) -> ProgressBar {
    bar(
        total,
        message,
        "{msg:>9} [{bar:40}] {bytes}/{total_bytes} ({eta})",
    )
}

/// A bar over `total` items.
pub fn items(total: u64, message: &'static str) -> ProgressBar {
    bar(total, message, "{msg:>9} [{bar:40}] {pos}/{len} ({eta})")
}

fn bar(total: u64, message: &'static str, template: &str) -> ProgressBar {
    let style = ProgressStyle::with_template(template)
        .expect("valid progress template")
        .progress_chars("=> ");
    ProgressBar::new(total)
        .with_style(style)
        .with_message(message)
}
