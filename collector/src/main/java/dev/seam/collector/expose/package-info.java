/**
 * The Prometheus endpoint ({@code /metrics}) and the health endpoints ({@code /healthz}, {@code
 * /readyz}).
 */
package dev.seam.collector.expose;
