//! QR codes for credential text, at error correction level M.
//!
//! Level M restores up to 15% of damaged modules, enough for a card worn in a wallet, and keeps
//! a typical Syrian card's credential at a version a phone camera reads at ID-1 size. Base45
//! text uses only the QR alphanumeric set, so the encoder stores it at 5.5 bits a character.
//! Rendering writes into memory only (an SVG string, PNG bytes).

use std::io::Cursor;

use image::{ImageFormat, Luma};
use qrcode::{EcLevel, QrCode, Version, render::svg};

/// Why a QR code could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// The text is too long for any QR version at level M.
    #[error("text of {0} characters does not fit in a QR code at error correction M")]
    TooLong(usize),
    /// Encoding the PNG failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

fn code(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| QrError::TooLong(text.len()))
}

/// The QR version (1–40) the text needs at level M; the code is `17 + 4 × version` modules wide.
pub fn qr_version(text: &str) -> Result<u8, QrError> {
    match code(text)?.version() {
        Version::Normal(v) | Version::Micro(v) => Ok(v as u8),
    }
}

/// An SVG image of the code, `module_px` units per module, with the standard 4-module quiet
/// zone. Scale it to print size: the SVG is resolution-independent.
pub fn qr_svg(text: &str, module_px: u32) -> Result<String, QrError> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .module_dimensions(module_px, module_px)
        .quiet_zone(true)
        .build())
}

/// A PNG image of the code (8-bit grey), `module_px` pixels per module, with the quiet zone.
pub fn qr_png(text: &str, module_px: u32) -> Result<Vec<u8>, QrError> {
    let image = code(text)?
        .render::<Luma<u8>>()
        .module_dimensions(module_px, module_px)
        .quiet_zone(true)
        .build();
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| QrError::Png(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_svg_and_png() {
        let text = "6BF590B20FFWJWG.FKJ05H7B0XKA8FA9DIWENPEJ";
        assert_eq!(qr_version(text).unwrap(), 3);
        let svg = qr_svg(text, 4).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<path"));
        let png = qr_png(text, 4).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // (17 + 4 * 3 + 2 * 4 quiet) modules * 4 px.
        let decoded = image::load_from_memory(&png).unwrap();
        assert_eq!(decoded.width(), (29 + 8) * 4);
    }

    #[test]
    fn too_long_text_is_an_error() {
        let text = "A".repeat(5000);
        assert_eq!(qr_version(&text), Err(QrError::TooLong(5000)));
    }
}
