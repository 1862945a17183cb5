package dev.seam.collector.contract;

/**
 * A contract or catalog file that cannot be used: unreadable, not YAML, or a value that is out of
 * place. The message names the file and the offending key, such as {@code
 * boundaries[2].budgets.caller_p99}.
 */
public final class InvalidContractException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidContractException(String message) {
    super(message);
  }

  public InvalidContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
