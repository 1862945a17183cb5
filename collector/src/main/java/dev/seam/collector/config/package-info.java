/**
 * Seam's configuration: embedded defaults, an optional YAML file over them, and validation that
 * names the offending key.
 */
package dev.seam.collector.config;
