package dev.seam.bench;

/**
 * A {@code RESULT key=value ...} line, the one line of a run that bench/compare.sh and soak.sh
 * read.
 */
final class ResultLine {

  private final StringBuilder sb = new StringBuilder("RESULT");

  /**
   * Adds {@code k=v}, quoting {@code v} when it is empty or holds spaces, quotes or backslashes.
   */
  ResultLine add(String k, String v) {
    sb.append(' ').append(k).append('=');
    if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c == '\'')) {
      sb.append('"')
          .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n\\t]", " "))
          .append('"');
    } else {
      sb.append(v);
    }
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
