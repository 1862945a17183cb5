/**
 * Reads trace context from text a log writer copied out of a request: bare trace and span ids (hex,
 * or Datadog's unsigned decimal) and whole W3C, B3, Jaeger and X-Ray headers. Each parser works on
 * a region of a String and writes into a caller's {@link ParsedContext}, so reading allocates
 * nothing. Nothing here depends on OTLP or on the rest of the collector.
 */
package dev.seam.collector.normalize.propagation;
