package dev.seam.bench;

import static dev.seam.bench.SdkSpans.kv;

import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The resources the SDKs describe their process with: the Go gateway, the Rust pricing service and
 * the Rust library inside the gateway.
 */
final class SdkResources {

  private SdkResources() {}

  /** The resource of {@code service} as the SDK of {@code language} ("go" or "rust") writes it. */
  static Resource resource(String service, String language) {
    boolean go = language.equals("go");
    boolean lib = service.equals("gateway-ffi");
    // The cgo library runs in the gateway's process and reports under the gateway's name; its
    // SDK is a second one, so its resource differs (language, SDK version, instance id).
    String name = lib ? "gateway" : service;
    Resource.Builder r =
        Resource.newBuilder()
            .addAttributes(kv("service.name", name))
            .addAttributes(kv("service.version", go || lib ? "1.8.2" : "0.9.0"))
            .addAttributes(kv("service.instance.id", uuid(service + language)))
            .addAttributes(kv("deployment.environment.name", "bench"))
            .addAttributes(kv("telemetry.sdk.language", language))
            .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
            .addAttributes(kv("telemetry.sdk.version", go ? "1.47.0" : "0.33.1"));
    if (go || lib) {
      r.addAttributes(kv("host.name", "gateway-7d9f8b6c5-x2x4k"))
          .addAttributes(kv("process.pid", 4242));
    } else {
      r.addAttributes(kv("host.name", "pricing-5c8d7b9f4-qq7mn"))
          .addAttributes(kv("host.arch", "amd64"))
          .addAttributes(kv("process.pid", 1));
    }
    if (go) {
      r.addAttributes(kv("process.runtime.name", "go"))
          .addAttributes(kv("process.runtime.version", "go1.26.8"))
          .addAttributes(kv("process.executable.name", "gateway"));
    } else {
      r.addAttributes(kv("process.runtime.name", "rustc"));
    }
    return r.build();
  }

  private static String uuid(String s) {
    UUID u = UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8));
    return u.toString();
  }
}
