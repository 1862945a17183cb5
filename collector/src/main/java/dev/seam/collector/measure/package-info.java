/**
 * Turns paired calls, unpaired halves, logs, memory figures and Seam's own item accounting into
 * Micrometer meters with the names and labels of docs/metrics.md. Meters are resolved once per
 * label set and kept, so recording a call is a map lookup and a few atomic adds.
 */
package dev.seam.collector.measure;
