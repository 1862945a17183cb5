package dev.seam.collector.component;

/**
 * A component's typed configuration: an immutable record bound from one section of the YAML file.
 * The loader calls {@link #validate()} on every such record it binds, innermost first, and prefixes
 * the key an {@link InvalidConfigException} names with the record's place in the file.
 */
public interface ComponentConfig {

  /**
   * Checks the values against their ranges and against each other.
   *
   * @throws InvalidConfigException naming the key (relative to this record) and what is wrong
   */
  default void validate() {}
}
