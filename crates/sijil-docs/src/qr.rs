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
    /// The image could not be read (not a PNG, or corrupt).
    #[error("the image cannot be read: {0}")]
    Image(String),
    /// No QR code was found in the image.
    #[error("no QR code found in the image")]
    NotFound,
    /// A QR code was found but its modules could not be decoded (blurred, damaged, cut off).
    #[error("a QR code was found but could not be decoded: {0}")]
    Undecodable(String),
    /// The image is larger than a photograph of a card needs to be.
    #[error("the image is {width}×{height} pixels; at most {MAX_IMAGE_SIDE} on a side is read")]
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// The largest image side [`decode_qr_image`] accepts: a photograph of a card needs far less,
/// and the bound keeps a crafted image from using gigabytes.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Reads the text of the QR code in a PNG image (a scan or photograph of a card, or an image
/// Sijil wrote). When the image holds several codes, the first that decodes wins.
pub fn decode_qr_image(png: &[u8]) -> Result<String, QrError> {
    let mut reader = image::ImageReader::new(Cursor::new(png));
    reader.set_format(ImageFormat::Png);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| QrError::Image(e.to_string()))?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(QrError::ImageTooLarge { width, height });
    }
    let image = image::load_from_memory_with_format(png, ImageFormat::Png)
        .map_err(|e| QrError::Image(e.to_string()))?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    let mut last_error = None;
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) => return Ok(text),
            Err(e) => last_error = Some(e.to_string()),
        }
    }
    Err(last_error.map_or(QrError::NotFound, QrError::Undecodable))
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

/// A code's modules without the quiet zone, row by row: for drawing the code into another
/// image (the printed card) at a whole number of pixels a module, so that every module stays
/// crisp and the level and version stay the ones [`qr_version`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    /// Modules on a side (`17 + 4 × version`).
    pub width: usize,
    /// `width × width` entries, row-major: `true` for a dark module.
    pub dark: Vec<bool>,
}

impl QrModules {
    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}

/// The modules of the code for `text` at level M.
pub fn qr_modules(text: &str) -> Result<QrModules, QrError> {
    let code = code(text)?;
    Ok(QrModules {
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
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
        let decoded = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(decoded.width(), (29 + 8) * 4);
        // The modules are the ones the PNG shows (first row: a finder pattern, then data).
        let m = qr_modules(text).unwrap();
        assert_eq!(m.width, 29);
        for y in 0..m.width {
            for x in 0..m.width {
                let px = decoded.get_pixel((x as u32 + 4) * 4 + 1, (y as u32 + 4) * 4 + 1);
                assert_eq!(m.is_dark(x, y), px.0[0] < 128, "module {x},{y}");
            }
        }
    }

    #[test]
    fn a_png_written_here_reads_back() {
        let text = "6BF590B20FFWJWG.FKJ05H7B0XKA8FA9DIWENPEJ";
        assert_eq!(decode_qr_image(&qr_png(text, 4).unwrap()).unwrap(), text);
        assert!(matches!(
            decode_qr_image(b"not a png"),
            Err(QrError::Image(_))
        ));
        let blank = image::GrayImage::from_pixel(64, 64, Luma([255]));
        let mut png = Cursor::new(Vec::new());
        blank.write_to(&mut png, ImageFormat::Png).unwrap();
        assert_eq!(decode_qr_image(png.get_ref()), Err(QrError::NotFound));
    }

    #[test]
    fn too_long_text_is_an_error() {
        let text = "A".repeat(5000);
        assert_eq!(qr_version(&text), Err(QrError::TooLong(5000)));
        assert_eq!(qr_modules(&text), Err(QrError::TooLong(5000)));
    }
}
