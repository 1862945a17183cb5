package dev.seam.collector.normalize;

import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Told of the resources the pipeline resolves, for components that read more from a resource than
 * its origin (owners, versions). Called from pipeline threads concurrently, once per resource a
 * thread has not resolved lately rather than once per request: it must be cheap and thread-safe.
 */
public interface ResourceObserver {

  /** {@code resource} was resolved to {@code origin}. */
  void observe(Origin origin, Resource resource);
}
