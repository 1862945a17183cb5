package dev.seam.collector.contract;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the owners of services from a Backstage catalog file ({@code catalog-info.yaml}, one or
 * more documents): every {@code kind: Component} names its service in {@code metadata.name} and its
 * owner in {@code spec.owner}, an entity reference such as {@code group:default/pricing}, of which
 * the name ({@code pricing}) is the team. Other kinds are skipped.
 */
public final class CatalogFile {

  private CatalogFile() {}

  /** The team of each component the file at {@code file} lists. */
  public static Map<String, String> read(Path file) throws InvalidContractException {
    return parse(ContractFile.readText(file), file.toString());
  }

  /** The team of each component {@code yaml} lists; {@code source} names it in messages. */
  public static Map<String, String> parse(String yaml, String source)
      throws InvalidContractException {
    Map<String, String> teams = new HashMap<>();
    int index = 0;
    try {
      for (Object doc :
          new Load(LoadSettings.builder().setLabel(source).build()).loadAllFromString(yaml)) {
        String where = "document " + index++;
        if (doc == null) {
          continue;
        }
        if (!(doc instanceof Map<?, ?> entity)) {
          throw new InvalidContractException(
              "catalog file " + source + ": " + where + " is not an entity (a mapping)");
        }
        if (!"Component".equals(entity.get("kind"))) {
          continue;
        }
        String name = string(field(entity.get("metadata"), "name"));
        String owner = string(field(entity.get("spec"), "owner"));
        if (name == null || owner == null) {
          throw new InvalidContractException(
              "catalog file "
                  + source
                  + ": "
                  + where
                  + " is a Component without "
                  + (name == null ? "metadata.name" : "spec.owner"));
        }
        teams.put(name, team(owner));
      }
    } catch (YamlEngineException e) {
      throw new InvalidContractException(source + " is not valid YAML: " + e.getMessage(), e);
    }
    return teams;
  }

  /** The name part of an entity reference: {@code group:default/pricing} -> {@code pricing}. */
  static String team(String ref) {
    String name = ref.substring(ref.indexOf(':') + 1);
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static Object field(Object map, String key) {
    return map instanceof Map<?, ?> m ? m.get(key) : null;
  }

  private static String string(Object value) {
    return value == null || value instanceof Map<?, ?> || String.valueOf(value).isBlank()
        ? null
        : String.valueOf(value).trim();
  }
}
