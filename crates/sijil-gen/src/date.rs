//! Birth dates as records write them: exact, partial, defaulted or slightly wrong.

use fastrand::Rng;

use crate::population::{Ymd, days_in_month};
use crate::rates::{self, SourceProfile};
use crate::stats::{GenStats, NoiseKind};

const KINDS: [NoiseKind; 6] = [
    NoiseKind::DateMissing,
    NoiseKind::DateYearOnly,
    NoiseKind::DateYearMonth,
    NoiseKind::DateJanFirst,
    NoiseKind::DateDayMonthSwap,
    NoiseKind::DateYearOff,
];

/// Pushes `n` zero-padded to `width` digits.
pub(crate) fn push_num(out: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut v = n;
    loop {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    for &d in digits[..len].iter().rev() {
        out.push(d as char);
    }
}

fn push_ymd(out: &mut String, y: u16, m: u8, d: u8) {
    push_num(out, y as u64, 4);
    out.push('-');
    push_num(out, m as u64, 2);
    out.push('-');
    push_num(out, d as u64, 2);
}

/// Writes a birth date under one record's source into `out` (left empty when missing).
/// The six outcomes are exclusive; each has its own probability per record.
pub(crate) fn render(
    b: Ymd,
    p: &SourceProfile,
    rng: &mut Rng,
    out: &mut String,
    stats: &mut GenStats,
) {
    let probs = [
        p.date_missing,
        p.year_only,
        rates::DATE_YEAR_MONTH,
        p.jan_first,
        rates::DATE_DAY_MONTH_SWAP,
        rates::DATE_YEAR_OFF,
    ];
    let r = rng.f64();
    let mut acc = 0.0;
    let mut outcome = None;
    for (i, &q) in probs.iter().enumerate() {
        if outcome.is_none() && r < acc + q {
            outcome = Some(i);
        }
        acc += q;
    }
    for (i, &q) in probs.iter().enumerate() {
        stats.offer(KINDS[i], q, outcome == Some(i));
    }
    match outcome {
        Some(0) => {}
        Some(1) => push_num(out, b.y as u64, 4),
        Some(2) => {
            push_num(out, b.y as u64, 4);
            out.push('-');
            push_num(out, b.m as u64, 2);
        }
        Some(3) => push_ymd(out, b.y, 1, 1),
        Some(4) if b.d <= 12 && b.d != b.m => push_ymd(out, b.y, b.d, b.m),
        Some(5) => {
            let y = if rng.bool() { b.y + 1 } else { b.y - 1 };
            push_ymd(out, y, b.m, b.d.min(days_in_month(y, b.m)));
        }
        _ => push_ymd(out, b.y, b.m, b.d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded() {
        let mut s = String::new();
        push_num(&mut s, 7, 4);
        push_num(&mut s, 12345, 2);
        assert_eq!(s, "000712345");
    }

    #[test]
    fn dates_take_the_documented_shapes() {
        let mut rng = Rng::with_seed(1);
        let mut stats = GenStats::default();
        let p = &rates::SOURCES[1];
        let b = Ymd {
            y: 1990,
            m: 7,
            d: 3,
        };
        let mut shapes = std::collections::HashSet::new();
        for _ in 0..5000 {
            let mut s = String::new();
            render(b, p, &mut rng, &mut s, &mut stats);
            shapes.insert(s);
        }
        for want in [
            "",
            "1990",
            "1990-07",
            "1990-01-01",
            "1990-03-07",
            "1990-07-03",
            "1991-07-03",
            "1989-07-03",
        ] {
            assert!(shapes.contains(want), "{want:?} never produced");
        }
        assert_eq!(shapes.len(), 8);
    }
}
