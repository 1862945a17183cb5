package dev.seam.collector.pair;

import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;

/** A paired boundary call: the caller's span, its child on the other side, and how it crossed. */
public record Edge(Span caller, Span callee, Transport transport) {}
