package dev.seam.collector.normalize;

import dev.seam.collector.model.Origin;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's say over service identity: aliases that rename a reported service, and an optional
 * canonical form (lower case, {@code _} written as {@code -}) so that {@code pricing_core} from one
 * SDK and {@code pricing-core} from another are one service.
 */
public final class ServiceNames {

  /** Names left as reported. */
  public static final ServiceNames AS_REPORTED = new ServiceNames(Map.of(), false);

  private final Map<String, String> aliases;
  private final boolean canonical;

  /**
   * @param aliases reported name (or its canonical form, when canonical) to the name shown
   * @param canonical whether names are brought to the canonical form
   */
  public ServiceNames(Map<String, String> aliases, boolean canonical) {
    Map<String, String> a = new HashMap<>();
    for (Map.Entry<String, String> e : aliases.entrySet()) {
      a.put(canonical ? canonical(e.getKey()) : e.getKey(), e.getValue());
    }
    this.aliases = Map.copyOf(a);
    this.canonical = canonical;
  }

  /** The name to show for a reported service name. */
  public String name(String reported) {
    if (reported == null || (aliases.isEmpty() && !canonical)) {
      return reported;
    }
    String key = canonical ? canonical(reported) : reported;
    String alias = aliases.get(key);
    if (alias != null) {
      return canonical ? canonical(alias) : alias;
    }
    return key;
  }

  /**
   * The origin with its service name shown as configured (the same object when nothing changes).
   */
  public Origin apply(Origin origin) {
    String shown = name(origin.service());
    return shown.equals(origin.service())
        ? origin
        : new Origin(shown, origin.language(), origin.process(), origin.instance());
  }

  /** Lower case, with {@code _} written as {@code -}. */
  static String canonical(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
