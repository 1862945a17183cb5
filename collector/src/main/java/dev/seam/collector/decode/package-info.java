/**
 * Turns request bodies into OTLP protobuf messages: bounded gzip inflation, protobuf parsing, and
 * OTLP JSON (hex ids, integer enums, 64-bit integers as strings) parsing.
 */
package dev.seam.collector.decode;
