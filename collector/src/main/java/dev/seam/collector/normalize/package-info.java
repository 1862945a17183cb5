/**
 * Turns OTLP resources, spans and log records into the boundary model's values: repaired service
 * names, languages, process identity, outcome and error class, protocol hints, operations, sizes
 * and peer hints, whichever semantic-convention generation the SDK used.
 */
package dev.seam.collector.normalize;
