package dev.seam.collector.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the relative links of a repository's Markdown files: each must point to a file or
 * directory inside the repository, and an anchor into a Markdown file must name one of its headings
 * (as GitHub makes them). Links with a scheme ({@code https:}, {@code mailto:}) are not checked;
 * links inside code blocks and code spans are not links.
 */
public final class MarkdownLinks {

  /** Directories that hold build output, tools' state or downloads, not documentation. */
  private static final Set<String> SKIPPED = Set.of("target", "node_modules", "out");

  private static final Pattern INLINE =
      Pattern.compile("\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern DEFINITION =
      Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  /** A checker for the repository at {@code root}. */
  public MarkdownLinks(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Every {@code *.md} file under the root, outside hidden and build directories. */
  public List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(
              p ->
                  p.getFileName().toString().endsWith(".md")
                      && Files.isRegularFile(p)
                      && documented(root.relativize(p)))
          .sorted()
          .toList();
    }
  }

  /** Whether no directory on the way to a file is hidden or holds build output. */
  private static boolean documented(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      String dir = relative.getName(i).toString();
      if (dir.startsWith(".") || SKIPPED.contains(dir)) {
        return false;
      }
    }
    return true;
  }

  /** What is wrong with the links of every file, one line each: {@code file:line: target: why}. */
  public List<String> problems() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files()) {
      out.addAll(problems(f));
    }
    return out;
  }

  /** What is wrong with the links of one file. */
  public List<String> problems(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    boolean fenced = false;
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.stripLeading();
      if (fenced) {
        if (trimmed.startsWith(fence)) {
          fenced = false;
        }
        continue;
      }
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        fenced = true;
        fence = trimmed.substring(0, 3);
        continue;
      }
      String text = CODE_SPAN.matcher(line).replaceAll("");
      List<String> targets = new ArrayList<>();
      Matcher m = INLINE.matcher(text);
      while (m.find()) {
        targets.add(m.group(1));
      }
      Matcher d = DEFINITION.matcher(text);
      if (d.matches()) {
        targets.add(d.group(1));
      }
      for (String target : targets) {
        String why = check(file, target);
        if (why != null) {
          out.add(root.relativize(file) + ":" + (i + 1) + ": " + target + ": " + why);
        }
      }
    }
    return out;
  }

  /** Why a link target from {@code file} is broken, or {@code null} when it is fine. */
  private String check(Path file, String target) throws IOException {
    if (target.isEmpty()) {
      return "empty link";
    }
    if (SCHEME.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash >= 0 ? target.substring(0, hash) : target;
    String anchor = hash >= 0 ? target.substring(hash + 1) : "";
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    Path resolved;
    if (path.isEmpty()) {
      resolved = file;
    } else {
      String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
      // GitHub reads a leading "/" as the repository root.
      resolved =
          (decoded.startsWith("/")
                  ? root.resolve(decoded.substring(1))
                  : file.getParent().resolve(decoded))
              .normalize();
    }
    if (!resolved.startsWith(root)) {
      return "leaves the repository";
    }
    if (!Files.exists(resolved)) {
      return "no such file in the repository";
    }
    if (!anchor.isEmpty()
        && resolved.getFileName().toString().endsWith(".md")
        && !anchors(resolved).contains(anchor)) {
      return "no heading makes the anchor #" + anchor;
    }
    return null;
  }

  /** The anchors GitHub makes for a Markdown file's headings, and its explicit HTML anchors. */
  private Set<String> anchors(Path file) throws IOException {
    Set<String> known = anchors.get(file);
    if (known != null) {
      return known;
    }
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher a = HTML_ANCHOR.matcher(line);
      while (a.find()) {
        out.add(a.group(1));
      }
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        String slug = slug(h.group(1));
        int n = seen.merge(slug, 1, Integer::sum);
        out.add(n == 1 ? slug : slug + "-" + (n - 1));
      }
    }
    anchors.put(file, out);
    return out;
  }

  /**
   * GitHub's heading anchor: link and code markup dropped, lower case, punctuation removed, spaces
   * as '-'.
   */
  static String slug(String heading) {
    String text = LINK_TEXT.matcher(heading).replaceAll("$1");
    text = CODE_SPAN.matcher(text).replaceAll("$2");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        b.append(Character.toLowerCase(c));
      } else if (c == ' ') {
        b.append('-');
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
