//! The stylesheet and the small script and the icon, compiled into the binary and served under names that
//! carry a hash of their content, so browsers may keep them for a year: a new release has new
//! names. No font is bundled: the system's Arabic fonts are used (see `app.css`).

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};

use super::WebError;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");
const ICON: &str = include_str!("../../assets/icon.svg");

struct Asset {
    /// `/assets/app.<hash>.css`
    href: String,
    body: &'static str,
    content_type: &'static str,
}

fn asset(stem: &str, ext: &str, body: &'static str, content_type: &'static str) -> Asset {
    let hash = blake3::hash(body.as_bytes()).to_hex();
    Asset {
        href: format!("/assets/{stem}.{}.{ext}", &hash[..12]),
        body,
        content_type,
    }
}

static ASSETS: LazyLock<[Asset; 3]> = LazyLock::new(|| {
    [
        asset("app", "css", CSS, "text/css; charset=utf-8"),
        asset("app", "js", JS, "text/javascript; charset=utf-8"),
        asset("icon", "svg", ICON, "image/svg+xml"),
    ]
});

/// The stylesheet's URL.
pub fn css_href() -> &'static str {
    &ASSETS[0].href
}

/// The script's URL.
pub fn js_href() -> &'static str {
    &ASSETS[1].href
}

/// The icon's URL.
pub fn icon_href() -> &'static str {
    &ASSETS[2].href
}

/// Serves an asset by its fingerprinted name; any other name is not found.
pub(super) async fn serve(Path(file): Path<String>) -> Result<Response, WebError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.href.strip_prefix("/assets/") == Some(file.as_str()))
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.body,
    )
        .into_response())
}
