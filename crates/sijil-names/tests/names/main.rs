//! Integration tests of `sijil-names`, one binary, one module per theme.

/// The 55 test vectors of arabic-names.md §5, as a table.
mod vectors;

/// Our own pairs: Syrian names, Turkish/French/German spellings, hostile input.
mod pairs;

/// The built-in dictionary: spellings find their names, shared spellings are deliberate.
mod dictionary;

/// Full-name comparison with token assignment.
mod full;

/// Properties over arbitrary input: idempotence, no panics, symmetry.
mod props;
