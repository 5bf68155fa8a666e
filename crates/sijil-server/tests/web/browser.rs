//! Real-browser tests: Debian's chromium driven through chromedriver (WebDriver) with
//! fantoccini. Skipped, with a note, when either is missing, unless `SIJIL_REQUIRE_BROWSER=1`.
