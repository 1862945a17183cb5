package dev.seam.collector.config;

/** A configuration file or value that Seam cannot start with; the message names the key. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
