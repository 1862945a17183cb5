package dev.seam.collector.config;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads YAML files and lays them over the embedded defaults ({@link SeamConfig#DEFAULT}), then
 * binds and validates the result. The defaults are also the schema: a key they do not have is
 * refused, so a typo never passes silently.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file a YAML file to lay over the defaults, or {@code null} for the defaults alone
   */
  public static SeamConfig load(Path file) throws ConfigException {
    if (file == null) {
      return fromYaml();
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, Object> tree = ConfigBinder.toTree(SeamConfig.DEFAULT);
    layer(tree, text, "config file " + file);
    return ConfigBinder.bind(tree, SeamConfig.class);
  }

  /** Lays YAML documents over the defaults, each over the ones before it (for tests and tools). */
  public static SeamConfig fromYaml(String... layers) throws ConfigException {
    Map<String, Object> tree = ConfigBinder.toTree(SeamConfig.DEFAULT);
    for (String yaml : layers) {
      layer(tree, yaml, "config");
    }
    return ConfigBinder.bind(tree, SeamConfig.class);
  }

  /** Every key with its value, in the file's notation. */
  public static Map<String, Object> tree(SeamConfig config) {
    return ConfigBinder.toTree(config);
  }

  /**
   * The configuration as a YAML file that loads back to it, with secrets (forwarding header values,
   * the Kafka SASL password) written as {@code ***}: what {@code --print-config} shows.
   */
  @SuppressWarnings("unchecked")
  public static String toYaml(SeamConfig config) {
    Map<String, Object> tree = tree(config);
    Map<String, Object> headers =
        (Map<String, Object>) ((Map<String, Object>) tree.get("forward")).get("headers");
    headers.replaceAll((name, value) -> "***");
    Map<String, Object> sasl =
        (Map<String, Object>) ((Map<String, Object>) tree.get("kafka")).get("sasl");
    if (!String.valueOf(sasl.get("password")).isEmpty()) {
      sasl.put("password", "***");
    }
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
    return new Dump(settings).dumpToString(tree);
  }

  private static void layer(Map<String, Object> tree, String yaml, String source)
      throws ConfigException {
    Object user;
    try {
      user = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getMessage(), e);
    }
    if (user == null) {
      return;
    }
    if (!(user instanceof Map<?, ?> map)) {
      throw new ConfigException(source + ": the top level must be a mapping of keys");
    }
    merge(tree, map, ConfigBinder.toTree(SeamConfig.DEFAULT), "");
  }

  /**
   * Lays {@code over} onto {@code base}: mappings merge key by key, anything else replaces. {@code
   * schema} is the same place in the defaults: a key it lacks is unknown, and a mapping that is
   * empty there holds names of the user's choosing (aliases, headers), taken whole.
   */
  @SuppressWarnings("unchecked")
  private static void merge(
      Map<String, Object> base, Map<?, ?> over, Map<String, Object> schema, String prefix)
      throws ConfigException {
    for (Map.Entry<?, ?> e : over.entrySet()) {
      String name = String.valueOf(e.getKey());
      String key = prefix + name;
      Object value = e.getValue();
      if (!schema.containsKey(name)) {
        throw new ConfigException("unknown config key '" + key + "'");
      }
      if (value == null) {
        throw new ConfigException("config key '" + key + "' has no value");
      }
      checkNumbers(key, value);
      Object def = schema.get(name);
      if (def instanceof Map<?, ?> d && !d.isEmpty()) {
        if (!(value instanceof Map<?, ?> m)) {
          throw new ConfigException("config key '" + key + "' must be a mapping of keys");
        }
        merge((Map<String, Object>) base.get(name), m, (Map<String, Object>) d, key + ".");
      } else if (def instanceof Map<?, ?>) {
        if (!(value instanceof Map<?, ?>)) {
          throw new ConfigException("config key '" + key + "' must be a mapping of names");
        }
        base.put(name, copy((Map<?, ?>) value));
      } else {
        base.put(name, value);
      }
    }
  }

  /** Refuses integers beyond a long, which YAML reads as BigInteger, before they can wrap. */
  private static void checkNumbers(String key, Object value) throws ConfigException {
    if (value instanceof BigInteger b && b.bitLength() >= 64) {
      throw new ConfigException("config key '" + key + "' is out of range, got " + b);
    }
    if (value instanceof List<?> list) {
      for (Object o : list) {
        checkNumbers(key, o);
      }
    }
  }

  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
