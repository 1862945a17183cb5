package dev.seam.collector.contract;

import dev.seam.collector.model.Transport;

/**
 * A boundary as contracts name it: the two services and the transport, without languages or
 * operation.
 */
record BoundaryId(String caller, String callee, Transport transport) {}
