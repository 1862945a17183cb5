package dev.seam.collector.model;

import java.util.Objects;

/**
 * Who reported a span, log or metric: one OTLP resource after normalization.
 *
 * @param service the repaired {@code service.name}
 * @param language the SDK language ({@code go}, {@code rust}, ...) or {@code unknown}
 * @param process an identity of the OS process when the resource names one, else {@code null}; two
 *     origins with equal non-null processes are in one process (the FFI case)
 * @param instance the value of the {@code service_instance} label
 */
public record Origin(String service, String language, String process, String instance) {

  /** The value used for any label whose source said nothing. */
  public static final String UNKNOWN = "unknown";

  public Origin {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(instance, "instance");
  }

  /** True when this origin and the other sit on different sides of a boundary. */
  public boolean differentSide(Origin other) {
    return !service.equals(other.service) || !language.equals(other.language);
  }

  /** True when both origins name their process and it is the same one. */
  public boolean sameProcess(Origin other) {
    return process != null && process.equals(other.process);
  }
}
