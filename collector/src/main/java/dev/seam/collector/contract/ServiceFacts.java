package dev.seam.collector.contract;

import dev.seam.collector.model.Origin;
import dev.seam.collector.normalize.OriginResolver;
import dev.seam.collector.normalize.ResourceObserver;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What services say about themselves in their resources, by the service name Seam shows: their
 * owner ({@code service.owner.name}, {@code service.owner.contact}), their namespace ({@code
 * service.namespace}) and the major of their {@code service.version}. Pipeline threads write it
 * concurrently; the latest resource of a service wins.
 */
public final class ServiceFacts implements ResourceObserver {

  /** The owner attribute of the proposed OpenTelemetry convention. */
  static final String OWNER_NAME = "service.owner.name";

  /** Where to reach that owner. */
  static final String OWNER_CONTACT = "service.owner.contact";

  private static final Pattern MAJOR = Pattern.compile("^[vV]?(\\d{1,9})(?:[.\\-+].*)?$");
  private static final int MAX_SERVICES = 100_000;

  /**
   * One service's facts; fields are {@code null} when its resource does not state them.
   *
   * @param ownerName the {@code service.owner.name}
   * @param ownerContact the {@code service.owner.contact}
   * @param namespace the {@code service.namespace}
   * @param versionInterface {@code v} and the major of {@code service.version}
   */
  public record Facts(
      String ownerName, String ownerContact, String namespace, String versionInterface) {}

  private final ConcurrentHashMap<String, Facts> byService = new ConcurrentHashMap<>();

  @Override
  public void observe(Origin origin, Resource resource) {
    Facts facts =
        new Facts(
            blankToNull(OriginResolver.attribute(resource, OWNER_NAME)),
            blankToNull(OriginResolver.attribute(resource, OWNER_CONTACT)),
            blankToNull(OriginResolver.attribute(resource, "service.namespace")),
            versionInterface(OriginResolver.attribute(resource, "service.version")));
    Facts before = byService.get(origin.service());
    if (Objects.equals(before, facts)) {
      return;
    }
    if (before == null && byService.size() >= MAX_SERVICES) {
      // A bound against resources inventing service names; the boundary caps fold them anyway.
      return;
    }
    byService.put(origin.service(), facts);
  }

  /** The facts of {@code service}, or {@code null} when none of its resources was seen. */
  public Facts of(String service) {
    return byService.get(service);
  }

  /** {@code 2.3.1} -> {@code v2}; {@code null} when the version has no leading number. */
  static String versionInterface(String version) {
    if (version == null) {
      return null;
    }
    Matcher m = MAJOR.matcher(version.trim().toLowerCase(Locale.ROOT));
    return m.matches() ? "v" + Long.parseLong(m.group(1)) : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
