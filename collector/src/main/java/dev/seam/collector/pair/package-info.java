/**
 * Pairs the two halves of every boundary call. Spans wait in a store sharded by trace id for a
 * window; every entry ends as paired, expired or evicted. Because pairing needs only the spans of
 * one trace, an instance that receives whole traces (as a Kafka partitioning by trace id would give
 * it) pairs correctly without seeing the rest of the fleet; when a partition moves to another
 * instance its traces are handed over ({@link PairingStore#forget}) and read there again ({@link
 * Replay}) without counting a call twice.
 */
package dev.seam.collector.pair;
