package dev.seam.collector.receive;

import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code auth} section: where the bearer tokens the receivers (and optionally {@code /metrics})
 * require come from. With neither source set, anyone who reaches the ports may send.
 *
 * @param tokensFile a file with one accepted token per line ({@code #} starts a comment), or empty
 * @param tokensEnv the name of an environment variable with comma-separated tokens, or empty
 * @param metrics whether {@code /metrics} requires a token too
 */
public record AuthConfig(String tokensFile, String tokensEnv, boolean metrics)
    implements ComponentConfig {

  /** No tokens: authentication off. */
  public static final AuthConfig NONE = new AuthConfig("", "", false);

  public AuthConfig {
    tokensFile = tokensFile.trim();
    tokensEnv = tokensEnv.trim();
  }

  @Override
  public void validate() {
    tokens(System::getenv);
  }

  /**
   * Reads the tokens from their sources now (a reload reads them again).
   *
   * @param environment reads an environment variable ({@code System::getenv} outside tests)
   * @throws InvalidConfigException naming the key whose source cannot be read or holds nothing
   */
  public BearerTokens tokens(UnaryOperator<String> environment) {
    List<String> tokens = new ArrayList<>();
    if (!tokensFile.isEmpty()) {
      try {
        for (String line : Files.readAllLines(Path.of(tokensFile))) {
          if (!line.isBlank() && !line.trim().startsWith("#")) {
            tokens.add(line.trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new InvalidConfigException(
            "tokens-file", "cannot read " + tokensFile + ": " + e.getMessage());
      }
      if (tokens.isEmpty()) {
        throw new InvalidConfigException("tokens-file", tokensFile + " holds no token");
      }
    }
    if (!tokensEnv.isEmpty()) {
      String value = environment.apply(tokensEnv);
      if (value == null || value.isBlank()) {
        throw new InvalidConfigException(
            "tokens-env", "names the environment variable " + tokensEnv + ", which is not set");
      }
      for (String t : value.split(",", -1)) {
        if (!t.isBlank()) {
          tokens.add(t.trim());
        }
      }
    }
    if (metrics && tokens.isEmpty()) {
      throw new InvalidConfigException(
          "metrics", "needs tokens (auth.tokens-file or auth.tokens-env)");
    }
    return tokens.isEmpty() ? BearerTokens.NONE : new BearerTokens(tokens);
  }
}
