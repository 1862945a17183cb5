package dev.seam.collector.pipeline;

import dev.seam.collector.model.Origin;
import dev.seam.collector.normalize.OriginCache;
import dev.seam.collector.normalize.OriginResolver;
import dev.seam.collector.normalize.ResourceObserver;
import dev.seam.collector.normalize.ServiceNames;
import io.opentelemetry.proto.resource.v1.Resource;

/** Who reported a resource, under the service name Seam shows, and whether that name is new. */
final class Origins {

  private final ServiceNames serviceNames;
  private final ResourceObserver observer;

  Origins(ServiceNames serviceNames) {
    this(serviceNames, null);
  }

  /**
   * @param observer told of each resource a pipeline thread's cache resolves, or {@code null}
   */
  Origins(ServiceNames serviceNames, ResourceObserver observer) {
    this.serviceNames = serviceNames;
    this.observer = observer;
  }

  /** The origin of a resource, its service named as Seam shows it. */
  Origin of(Resource resource, String scopeName) {
    return serviceNames.apply(OriginResolver.resolve(resource, scopeName));
  }

  /**
   * The service name Seam shows for a resource, or {@code null} when that is the name the resource
   * reports (or no name can be told).
   */
  String renamedService(Resource resource, String scopeName) {
    String shown = of(resource, scopeName).service();
    return renames(shown, resource) ? shown : null;
  }

  /** What a pipeline thread's {@link OriginCache} keeps for a resource. */
  OriginCache.Entry entry(Resource resource, String scopeName) {
    Origin origin = of(resource, scopeName);
    if (observer != null) {
      observer.observe(origin, resource);
    }
    return new OriginCache.Entry(origin, renames(origin.service(), resource));
  }

  private static boolean renames(String shown, Resource resource) {
    return !Origin.UNKNOWN.equals(shown) && !shown.equals(OriginResolver.reportedService(resource));
  }
}
