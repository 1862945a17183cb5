package dev.seam.collector.receive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The bearer tokens Seam accepts. Comparison takes the same time whichever token (or how much of
 * one) matches, so response timing tells an attacker nothing; tokens never appear in logs or error
 * messages.
 */
public final class BearerTokens {

  /** Accepts every request: no tokens configured. */
  public static final BearerTokens NONE = new BearerTokens(List.of());

  // Replaced whole on reload (SIGHUP) and read without locks by the receivers and /metrics: the
  // reference is volatile, and neither the list (List.copyOf) nor its arrays change once published.
  private volatile List<byte[]> tokens;

  /**
   * @param tokens the accepted tokens; empty means authentication is off
   */
  public BearerTokens(List<String> tokens) {
    this.tokens = encode(tokens);
  }

  private static List<byte[]> encode(List<String> tokens) {
    List<byte[]> t = new ArrayList<>();
    for (String token : tokens) {
      String trimmed = token.trim();
      if (!trimmed.isEmpty()) {
        t.add(trimmed.getBytes(StandardCharsets.UTF_8));
      }
    }
    return List.copyOf(t);
  }

  /**
   * A copy that can later take another set of tokens ({@link #replaceWith}); {@link #NONE} itself
   * never changes.
   */
  public BearerTokens reloadable() {
    BearerTokens copy = new BearerTokens(List.of());
    copy.tokens = tokens;
    return copy;
  }

  /** Accepts {@code other}'s tokens from now on (configuration reload). */
  public void replaceWith(BearerTokens other) {
    if (this == NONE) {
      throw new IllegalStateException("the shared empty token set cannot change");
    }
    this.tokens = other.tokens;
  }

  /** Whether authentication is on. */
  public boolean enabled() {
    return !tokens.isEmpty();
  }

  /**
   * Whether an {@code Authorization} header value carries an accepted token (always true when off).
   */
  public boolean accepts(String authorization) {
    if (tokens.isEmpty()) {
      return true;
    }
    if (authorization == null
        || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] offered = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] token : tokens) {
      // No early exit: every token is compared, each in constant time.
      match |= MessageDigest.isEqual(token, offered);
    }
    return match;
  }
}
