package dev.seam.bench;

/**
 * One variant of a group, encoded: the trace requests of the Go gateway, the Rust service and the
 * Rust library, and the request with its error logs ({@code null} when it has none).
 */
record GroupTemplates(Template go, Template rust, Template lib, Template logs) {}
