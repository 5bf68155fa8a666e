//! Draws the sample card (front, back, both) into a folder and times the drawing:
//!
//! ```text
//! cargo run --release -p sijil-card --example render -- OUT_DIR [DPI]
//! ```
//!
//! The time is per card side including PNG encoding, on one core, averaged over 20 draws.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use sijil_card::{Side, render, render_png};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: render OUT_DIR [DPI]"));
    let dpi: u32 = args
        .next()
        .map_or(300, |d| d.parse().expect("dpi is a number"));
    let card = common::card();
    for (side, name) in [
        (Side::Front, "front"),
        (Side::Back, "back"),
        (Side::Both, "both"),
    ] {
        let png = render_png(&card, side, dpi).expect("the sample card draws");
        let path = dir.join(format!("id-card-{name}.png"));
        std::fs::write(&path, &png).expect("the folder is writable");
        println!("{} ({} bytes)", path.display(), png.len());
    }
    let runs = 20;
    for side in [Side::Front, Side::Back] {
        let start = Instant::now();
        for _ in 0..runs {
            render(&card, side, dpi).expect("draws");
        }
        let draw = start.elapsed() / runs;
        let start = Instant::now();
        for _ in 0..runs {
            render_png(&card, side, dpi).expect("draws");
        }
        let with_png = start.elapsed() / runs;
        println!("{side:?} at {dpi} dpi: draw {draw:?}, draw + PNG {with_png:?}");
    }
}
