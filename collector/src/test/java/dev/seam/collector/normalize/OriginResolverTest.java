package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginResolverTest {

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static Resource resource(KeyValue... attrs) {
    Resource.Builder r = Resource.newBuilder();
    for (KeyValue kv : attrs) {
      r.addAttributes(kv);
    }
    return r.build();
  }

  private static Origin resolve(KeyValue... attrs) {
    return OriginResolver.resolve(resource(attrs), "");
  }

  // --- service ---

  @Test
  void plainServiceNameIsKept() {
    assertEquals("checkout", resolve(attr("service.name", "checkout")).service());
  }

  @Test
  void unknownServiceWithExecutableSuffixIsRepairedToTheExecutable() {
    Origin o =
        resolve(
            attr("service.name", "unknown_service:pricing-core"),
            attr("telemetry.sdk.language", "rust"));
    assertEquals("pricing-core", o.service());
  }

  @Test
  void bareUnknownServiceTakesProcessExecutableName() {
    Origin o =
        resolve(
            attr("service.name", "unknown_service"),
            attr("process.executable.name", "checkout-api"));
    assertEquals("checkout-api", o.service());
  }

  @Test
  void bareUnknownServiceWithoutExecutableStaysAsIs() {
    assertEquals("unknown_service", resolve(attr("service.name", "unknown_service")).service());
  }

  @Test
  void missingServiceNameTakesTheExecutable() {
    assertEquals("ledgerd", resolve(attr("process.executable.name", "ledgerd")).service());
  }

  @Test
  void missingServiceNameAndExecutableIsUnknown() {
    assertEquals("unknown", resolve().service());
    assertEquals("unknown", resolve(attr("service.name", "  ")).service());
  }

  @Test
  void serviceNamesThatMerelyStartLikeUnknownServiceAreKept() {
    assertEquals(
        "unknown_service_b",
        resolve(attr("service.name", "unknown_service_b"), attr("process.executable.name", "x"))
            .service());
  }

  // --- language ---

  @ParameterizedTest(name = "telemetry.sdk.language \"{0}\" -> {1}")
  @CsvSource({"go, go", "Go, go", "RUST, rust", "' rust ', rust", "python, python"})
  void languageComesFromTheSdkLanguageCaseFolded(String sdk, String expected) {
    assertEquals(
        expected,
        resolve(attr("service.name", "s"), attr("telemetry.sdk.language", sdk)).language());
  }

  @Test
  void sdkLanguageWinsOverRuntimeAndScope() {
    Origin o =
        OriginResolver.resolve(
            resource(attr("telemetry.sdk.language", "rust"), attr("process.runtime.name", "go")),
            "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp");
    assertEquals("rust", o.language());
  }

  @ParameterizedTest(name = "process.runtime.name \"{0}\" -> {1}")
  @CsvSource({"go, go", "gc, go", "GO, go", "rustc, rust", "Rust, rust", "cpython, unknown"})
  void languageFallsBackToTheRuntimeName(String runtime, String expected) {
    assertEquals(
        expected,
        resolve(attr("service.name", "s"), attr("process.runtime.name", runtime)).language());
  }

  @ParameterizedTest(name = "scope \"{0}\" -> {1}")
  @CsvSource({
    "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc, go",
    "github.com/acme/checkout/internal/pricing, go",
    "google.golang.org/grpc, go",
    "my_crate::handler, rust",
    "tracing-opentelemetry, rust",
    "opentelemetry-appender-tracing, rust",
    "io.opentelemetry.okhttp-3.0, unknown",
    "'', unknown",
  })
  void languageFallsBackToTheScopeName(String scope, String expected) {
    Origin o = OriginResolver.resolve(resource(attr("service.name", "s")), scope);
    assertEquals(expected, o.language());
  }

  @Test
  void runtimeWinsOverScope() {
    Origin o =
        OriginResolver.resolve(resource(attr("process.runtime.name", "go")), "my_crate::handler");
    assertEquals("go", o.language());
  }

  // --- process and instance ---

  @Test
  void processIsHostAndPidWhenBothArePresent() {
    Origin o =
        resolve(
            attr("service.name", "s"),
            attr("host.name", "node-7"),
            attr("process.pid", 4242),
            attr("service.instance.id", "0b6f1c1e-8f4c-4b8e-9d5e-3c2a1f0e9d8c"));
    assertEquals("node-7/4242", o.process());
    assertEquals("0b6f1c1e-8f4c-4b8e-9d5e-3c2a1f0e9d8c", o.instance());
  }

  @Test
  void processFallsBackToTheInstanceIdWithoutPid() {
    Origin o =
        resolve(
            attr("service.name", "s"),
            attr("host.name", "node-7"),
            attr("service.instance.id", "inst-1"));
    assertEquals("inst-1", o.process());
    assertEquals("inst-1", o.instance());
  }

  @Test
  void processFallsBackToTheInstanceIdWithoutHost() {
    Origin o =
        resolve(
            attr("service.name", "s"),
            attr("process.pid", 17),
            attr("service.instance.id", "inst-1"));
    assertEquals("inst-1", o.process());
  }

  @Test
  void processIsNullWhenNothingNamesIt() {
    Origin o = resolve(attr("service.name", "s"), attr("host.name", "node-7"));
    assertNull(o.process());
    assertEquals("unknown", o.instance());
  }

  @Test
  void instanceIsTheProcessWhenThereIsNoInstanceId() {
    Origin o =
        resolve(attr("service.name", "s"), attr("host.name", "node-7"), attr("process.pid", "99"));
    assertEquals("node-7/99", o.process());
    assertEquals("node-7/99", o.instance());
  }

  @Test
  void goAndRustSdksInOneProcessShareTheProcessDespiteDistinctInstanceIds() {
    Origin go =
        resolve(
            attr("service.name", "checkout"),
            attr("telemetry.sdk.language", "go"),
            attr("host.name", "node-7"),
            attr("process.pid", 4242),
            attr("service.instance.id", "go-random-id"));
    Origin rust =
        resolve(
            attr("service.name", "unknown_service:pricing-core"),
            attr("telemetry.sdk.language", "rust"),
            attr("host.name", "node-7"),
            attr("process.pid", 4242),
            attr("service.instance.id", "rust-random-id"));
    assertTrue(go.sameProcess(rust));
    assertTrue(go.differentSide(rust));
    assertEquals("pricing-core", rust.service());
  }

  @Test
  void emptyResourceIsAllUnknown() {
    Origin o = resolve();
    assertEquals(new Origin("unknown", "unknown", null, "unknown"), o);
    assertFalse(o.sameProcess(o));
  }

  @Test
  void kubernetesWorkloadNamesAServiceThatDoesNotNameItself() {
    Origin o =
        OriginResolver.resolve(
            resource(
                attr("service.name", "unknown_service"),
                attr("process.executable.name", "server"),
                attr("k8s.deployment.name", "pricing"),
                attr("k8s.container.name", "app")),
            "");
    assertEquals("pricing", o.service());
    o =
        OriginResolver.resolve(
            resource(
                attr("k8s.container.name", "pricing-app"),
                attr("process.executable.name", "server")),
            "");
    assertEquals("pricing-app", o.service());
    o =
        OriginResolver.resolve(
            resource(
                attr("service.name", "unknown_service:pricing-bin"),
                attr("k8s.deployment.name", "pricing")),
            "");
    assertEquals("pricing-bin", o.service(), "unknown_service:<exe> names its executable");
    o =
        OriginResolver.resolve(
            resource(attr("service.name", "pricing"), attr("k8s.deployment.name", "other")), "");
    assertEquals("pricing", o.service(), "a real service.name wins");
  }
}
