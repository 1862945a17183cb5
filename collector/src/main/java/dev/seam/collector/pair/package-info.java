/**
 * Pairs the two halves of every boundary call. Spans wait in a store sharded by trace id for a
 * window; every entry ends as paired, expired or evicted. Because pairing needs only the spans
 * of one trace, an instance that receives whole traces (as a Kafka partitioning by trace id
 * would give it) pairs correctly without seeing the rest of the fleet.
 */
package dev.seam.collector.pair;
