/**
 * The boundary model's vocabulary as immutable values: the normalized span, the side a span sits
 * on, transports, error classes and the key that boundary metrics are labelled with.
 */
package dev.seam.collector.model;
