package dev.seam.collector.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.Durations;
import dev.seam.collector.component.InvalidConfigException;
import dev.seam.collector.component.Size;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a configuration tree (nested maps, lists and scalars, as YAML gives them) onto the
 * components' config records, and back. One mapping serves every key: a record component {@code
 * maxPending} is the key {@code max-pending}. Values are taken as written: a quoted number is not a
 * port, {@code yes} is not a boolean, a fraction is not a whole number. Every failure names the
 * full key.
 */
final class ConfigBinder {

  private static final PropertyNamingStrategies.NamingBase NAMING =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(NAMING)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // Enum values are written in lower case in the file (sarama_compat, murmur2).
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .addModule(
              new SimpleModule("seam-config")
                  .addSerializer(Duration.class, new DurationSerializer())
                  .addDeserializer(Duration.class, new DurationDeserializer())
                  .addSerializer(Size.class, new SizeSerializer())
                  .addDeserializer(Size.class, new SizeDeserializer())
                  .addSerializer(enumType(), new EnumSerializer()))
          .build();

  private ConfigBinder() {}

  /** {@code config} as a tree of maps, lists and scalars in the file's own notation. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> toTree(Object config) {
    return MAPPER.convertValue(config, LinkedHashMap.class);
  }

  /** Binds {@code tree} onto {@code type} and validates every component record in it. */
  static <T extends ComponentConfig> T bind(Map<String, Object> tree, Class<T> type)
      throws ConfigException {
    T config;
    try {
      config = MAPPER.convertValue(tree, type);
    } catch (IllegalArgumentException e) {
      throw translate(e);
    }
    try {
      validate(config, "");
    } catch (InvalidConfigException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return config;
  }

  /** The YAML key of a record component. */
  static String keyOf(RecordComponent component) {
    return NAMING.translate(component.getName());
  }

  /** Validates the records inside {@code config} first, then {@code config} itself. */
  private static void validate(ComponentConfig config, String prefix) {
    for (RecordComponent c : config.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(config);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c, e);
      }
      if (value instanceof ComponentConfig inner) {
        validate(inner, prefix.isEmpty() ? keyOf(c) : prefix + "." + keyOf(c));
      }
    }
    try {
      config.validate();
    } catch (InvalidConfigException e) {
      throw e.under(prefix);
    } catch (IllegalArgumentException e) {
      // Validators outside the component package (kafka-clients' own checks) name their key
      // in the message already.
      throw new InvalidConfigException(prefix.isEmpty() ? "(top level)" : prefix, e.getMessage());
    }
  }

  private static ConfigException translate(IllegalArgumentException e) {
    Throwable cause = e.getCause();
    if (cause instanceof JsonMappingException m) {
      String key = key(m.getPath());
      if (m instanceof UnrecognizedPropertyException u) {
        String unknown = key.isEmpty() ? u.getPropertyName() : key;
        return new ConfigException("unknown config key '" + unknown + "'", e);
      }
      if (m.getCause() instanceof InvalidConfigException problem) {
        return new ConfigException(problem.under(key).getMessage(), e);
      }
      if (m.getCause() instanceof InputCoercionException) {
        return new ConfigException("config key '" + key + "' is out of range", e);
      }
      if (m instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
        return new ConfigException(
            "config key '" + key + "' must be " + expected(mismatch.getTargetType()), e);
      }
      return new ConfigException("config key '" + key + "': " + m.getOriginalMessage(), e);
    }
    return new ConfigException("config: " + e.getMessage(), e);
  }

  private static String key(List<JsonMappingException.Reference> path) {
    List<String> parts = new ArrayList<>();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        parts.add(r.getFieldName());
      }
    }
    return String.join(".", parts);
  }

  private static String expected(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a single value";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping of names";
    }
    if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object constant : type.getEnumConstants()) {
        names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
      }
      return "one of " + String.join(", ", names);
    }
    if (type.isRecord()) {
      return "a mapping of keys";
    }
    return "a " + type.getSimpleName();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<Enum<?>> enumType() {
    return (Class) Enum.class;
  }

  /** Writes an enum value as the file writes it: its name in lower case. */
  private static final class EnumSerializer extends JsonSerializer<Enum<?>> {
    @Override
    public void serialize(Enum<?> value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Writes a duration in the largest unit that divides it: {@code 10s}, {@code 500ms}. */
  private static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(Durations.format(value));
    }
  }

  /** Reads {@code 10s}, {@code 2.5us}: a number with a unit, nothing else. */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
      Duration d = text == null ? null : Durations.parse(text);
      if (d == null || d.isZero() || d.isNegative()) {
        String got = p.currentToken().isStructStart() ? describe(p) : p.getText();
        throw new InvalidConfigException(
            "", "must be a positive duration such as 10s or 500ms, got '" + got + "'");
      }
      return d;
    }
  }

  /** Writes a size in the largest binary unit that divides it: {@code 16MiB}. */
  private static final class SizeSerializer extends JsonSerializer<Size> {
    @Override
    public void serialize(Size value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      String text = value.toString();
      if (text.chars().allMatch(Character::isDigit)) {
        gen.writeNumber(value.bytes());
      } else {
        gen.writeString(text);
      }
    }
  }

  /** Reads {@code 16MiB}, {@code 5GB} or a plain number of bytes. */
  private static final class SizeDeserializer extends JsonDeserializer<Size> {
    @Override
    public Size deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Size size = null;
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING) {
        size = Size.parse(p.getText());
      } else if (t == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
          && p.getLongValue() >= 0) {
        size = Size.bytes(p.getLongValue());
      }
      if (size == null) {
        String got = t.isStructStart() ? describe(p) : p.getText();
        throw new InvalidConfigException(
            "", "must be a size such as 16MiB or 65536 (at most a long), got '" + got + "'");
      }
      return size;
    }
  }

  private static String describe(JsonParser p) {
    return p.currentToken() == JsonToken.START_ARRAY ? "a list" : "a mapping";
  }
}
