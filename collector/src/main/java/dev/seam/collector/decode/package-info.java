/**
 * Turns request bodies into OTLP protobuf messages: bounded gzip inflation, protobuf parsing, and
 * OTLP JSON (hex ids, integer enums, 64-bit integers as strings) parsing. Trace exports, protobuf
 * or JSON, are read straight into raw spans ({@link dev.seam.collector.decode.TraceReader}).
 */
package dev.seam.collector.decode;
