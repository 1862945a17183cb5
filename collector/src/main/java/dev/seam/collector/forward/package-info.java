/**
 * Optional forwarding of what Seam normalized (spans and logs, with repaired service names and
 * filled-in log trace context) to a downstream OTLP endpoint, through a bounded queue with retry on
 * the downstream's throttling answers. Every forwarded item is counted as sent, rejected or
 * dropped.
 */
package dev.seam.collector.forward;
