package dev.seam.collector.normalize;

import dev.seam.collector.model.LabelValues;
import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Locale;

/**
 * Reads who reported a batch from its OTLP resource: service, language and process, with the
 * repairs docs/normalization.md lists ("Service identity", "Language", "Process").
 */
public final class OriginResolver {

  private static final String UNKNOWN_SERVICE = "unknown_service";

  private OriginResolver() {}

  /** The {@code service.name} a resource states, as it states it, or {@code null}. */
  public static String reportedService(Resource resource) {
    return Attributes.find(resource.getAttributesList(), "service.name");
  }

  /** The string value of the resource attribute {@code key}, or {@code null}. */
  public static String attribute(Resource resource, String key) {
    return Attributes.find(resource.getAttributesList(), key);
  }

  /**
   * The origin of a resource.
   *
   * @param resource the OTLP resource
   * @param scopeName the instrumentation scope name of the batch's first scope, used to guess the
   *     language when the resource does not state it; may be empty
   */
  public static Origin resolve(Resource resource, String scopeName) {
    List<KeyValue> attrs = resource.getAttributesList();
    String serviceName = null;
    String language = null;
    String runtime = null;
    String executable = null;
    String instanceId = null;
    String host = null;
    String pid = null;
    String workload = null;
    String container = null;
    for (int i = 0, n = attrs.size(); i < n; i++) {
      KeyValue kv = attrs.get(i);
      switch (kv.getKey()) {
        case "service.name":
          serviceName = Attributes.string(kv.getValue());
          break;
        case "telemetry.sdk.language":
          language = Attributes.string(kv.getValue());
          break;
        case "process.runtime.name":
          runtime = Attributes.string(kv.getValue());
          break;
        case "process.executable.name":
          executable = Attributes.string(kv.getValue());
          break;
        case "service.instance.id":
          instanceId = Attributes.string(kv.getValue());
          break;
        case "host.name":
          host = Attributes.string(kv.getValue());
          break;
        case "process.pid":
          pid = Attributes.string(kv.getValue());
          break;
        case "k8s.deployment.name":
        case "k8s.statefulset.name":
        case "k8s.daemonset.name":
        case "k8s.cronjob.name":
        case "k8s.job.name":
          workload = Attributes.string(kv.getValue());
          break;
        case "k8s.container.name":
          container = Attributes.string(kv.getValue());
          break;
        default:
          break;
      }
    }
    // On Kubernetes the workload names the service better than the executable ("server", "main").
    String fallback = notBlank(workload) ? workload : notBlank(container) ? container : executable;
    String service = service(serviceName, fallback);
    String lang = language(language, runtime, scopeName);
    // Host + pid names the OS process itself; service.instance.id is often a random id per SDK,
    // and in the FFI case each of the two SDKs in one process would then look like its own process.
    String process = null;
    if (notBlank(host) && notBlank(pid)) {
      process = host + "/" + pid;
    } else if (notBlank(instanceId)) {
      process = instanceId;
    }
    String instance =
        notBlank(instanceId) ? instanceId : process != null ? process : Origin.UNKNOWN;
    return new Origin(
        LabelValues.sanitize(service),
        LabelValues.sanitize(lang),
        process,
        LabelValues.sanitize(instance));
  }

  /**
   * The service name: {@code service.name}, except that {@code unknown_service:<exe>} becomes the
   * executable's name, and a missing or bare {@code unknown_service} becomes {@code fallback}
   * (Kubernetes workload, container or executable name) when there is one.
   */
  static String service(String name, String executable) {
    if (name == null || name.isBlank()) {
      return notBlank(executable) ? executable : Origin.UNKNOWN;
    }
    if (name.startsWith(UNKNOWN_SERVICE)) {
      if (name.length() > UNKNOWN_SERVICE.length() + 1
          && name.charAt(UNKNOWN_SERVICE.length()) == ':') {
        return name.substring(UNKNOWN_SERVICE.length() + 1);
      }
      if ((name.length() == UNKNOWN_SERVICE.length()
              || name.length() == UNKNOWN_SERVICE.length() + 1)
          && notBlank(executable)) {
        return executable;
      }
    }
    return name;
  }

  static String language(String sdkLanguage, String runtime, String scopeName) {
    if (notBlank(sdkLanguage)) {
      return sdkLanguage.trim().toLowerCase(Locale.ROOT);
    }
    if (notBlank(runtime)) {
      String r = runtime.trim().toLowerCase(Locale.ROOT);
      if (r.equals("go") || r.equals("gc")) {
        return "go";
      }
      if (r.startsWith("rust")) {
        return "rust";
      }
    }
    if (notBlank(scopeName)) {
      // Go instrumentation scopes are import paths; Rust ones are crate or module paths.
      if (scopeName.startsWith("go.opentelemetry.io/")
          || scopeName.startsWith("github.com/")
          || scopeName.startsWith("google.golang.org/")) {
        return "go";
      }
      if (scopeName.contains("::")
          || scopeName.startsWith("tracing-opentelemetry")
          || scopeName.startsWith("opentelemetry-appender-tracing")) {
        return "rust";
      }
    }
    return Origin.UNKNOWN;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
