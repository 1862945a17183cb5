package dev.seam.collector.normalize;

import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import java.util.List;
import java.util.Map;

/**
 * The {@code normalize} section: how service names are unified and where log records' trace context
 * is looked for.
 *
 * @param service service-name aliases and canonical form
 * @param logContext recovery of trace context that log records name only in their fields
 */
public record NormalizeConfig(ServiceConfig service, LogContextConfig logContext)
    implements ComponentConfig {

  /** No aliases, names as reported, log context recovered from the usual fields. */
  public static final NormalizeConfig DEFAULT =
      new NormalizeConfig(ServiceConfig.DEFAULT, LogContextConfig.DEFAULT);

  /**
   * The {@code normalize.service} section.
   *
   * @param aliases reported service name to the name Seam shows
   * @param canonical whether names are lower-cased with {@code _} written as {@code -}
   */
  public record ServiceConfig(Map<String, String> aliases, boolean canonical)
      implements ComponentConfig {

    /** No aliases, names as reported. */
    public static final ServiceConfig DEFAULT = new ServiceConfig(Map.of(), false);

    public ServiceConfig {
      aliases = Map.copyOf(aliases);
    }

    @Override
    public void validate() {
      for (Map.Entry<String, String> e : aliases.entrySet()) {
        if (e.getValue().isBlank()) {
          throw new InvalidConfigException("aliases." + e.getKey(), "must be a name");
        }
      }
    }
  }

  /**
   * The {@code normalize.log-context} section.
   *
   * @param enabled whether trace context named in log attributes or bodies is recovered
   * @param traceIdFields field names holding a trace id, first found wins
   * @param spanIdFields field names holding a span id
   * @param headerFields field names holding a whole propagation header
   */
  public record LogContextConfig(
      boolean enabled,
      List<String> traceIdFields,
      List<String> spanIdFields,
      List<String> headerFields)
      implements ComponentConfig {

    /** On, with the field names the SDKs, log libraries and agents use. */
    public static final LogContextConfig DEFAULT =
        new LogContextConfig(
            true,
            LogContextExtractor.DEFAULT_TRACE_ID_FIELDS,
            LogContextExtractor.DEFAULT_SPAN_ID_FIELDS,
            LogContextExtractor.DEFAULT_HEADER_FIELDS);

    public LogContextConfig {
      traceIdFields = List.copyOf(traceIdFields);
      spanIdFields = List.copyOf(spanIdFields);
      headerFields = List.copyOf(headerFields);
    }
  }
}
