package dev.seam.collector.component;

/**
 * A configuration value that is out of range or inconsistent. {@link #key()} is relative to the
 * record that threw it; the loader adds the record's place, so the user reads the full key.
 */
public final class InvalidConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final String problem;

  /**
   * @param key the offending key, relative to the record validating it (may be dotted)
   * @param problem what is wrong, phrased to follow "config key 'KEY' ", e.g. "must be positive"
   */
  public InvalidConfigException(String key, String problem) {
    super("config key '" + key + "' " + problem);
    this.key = key;
    this.problem = problem;
  }

  /** The offending key, relative to the record that threw. */
  public String key() {
    return key;
  }

  /** What is wrong with it. */
  public String problem() {
    return problem;
  }

  /** The same problem, with {@code prefix} (a section path) in front of the key. */
  public InvalidConfigException under(String prefix) {
    if (prefix.isEmpty()) {
      return this;
    }
    return new InvalidConfigException(key.isEmpty() ? prefix : prefix + "." + key, problem);
  }
}
