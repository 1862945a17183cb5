package dev.seam.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.MarkdownLinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in the repository's Markdown (README.md, docs/, examples/, bench/,
 * dashboards/, deploy/, READMEs under collector/src) points to a file inside the repository, and
 * every anchor into a Markdown file names one of its headings.
 */
class MarkdownLinksTest {

  /**
   * The collector module's directory is where Maven runs its tests; the repository is its parent.
   */
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

  @Test
  void everyRelativeLinkPointsToAFileInTheRepository() throws Exception {
    assertTrue(
        Files.exists(REPOSITORY.resolve("collector/pom.xml")),
        REPOSITORY + " is not the repository root");
    MarkdownLinks links = new MarkdownLinks(REPOSITORY);
    List<String> files =
        links.files().stream()
            .map(f -> REPOSITORY.relativize(f).toString().replace('\\', '/'))
            .toList();
    for (String expected :
        List.of(
            "README.md",
            "docs/boundary-model.md",
            "docs/metrics.md",
            "examples/README.md",
            "bench/README.md",
            "dashboards/README.md",
            "deploy/README.md",
            "collector/src/test/resources/golden/README.md")) {
      assertTrue(files.contains(expected), expected + " is checked (found " + files + ")");
    }
    List<String> problems = links.problems();
    assertTrue(problems.isEmpty(), "broken Markdown links:\n" + String.join("\n", problems));
  }

  @Test
  void brokenEscapingAndMisanchoredLinksAreReported(@TempDir Path dir) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(dir.resolve("outside.md"), "# Outside\n");
    Files.createDirectories(repo.resolve("docs"));
    Files.createDirectories(repo.resolve("target"));
    Files.writeString(repo.resolve("target/ignored.md"), "[gone](nowhere.md)\n");
    Files.writeString(
        repo.resolve("docs/guide.md"),
        String.join(
            "\n",
            "# Guide",
            "## Error class: `error_class`",
            "## Repeated",
            "## Repeated",
            "<a name=\"custom\"></a>",
            "[back](../README.md) [self](#guide) [second](#repeated-1) [custom](#custom)",
            ""));
    Files.writeString(
        repo.resolve("README.md"),
        String.join(
            "\n",
            "# Repo",
            "[guide](docs/guide.md) and [class](docs/guide.md#error-class-error_class) and"
                + " [root](/docs/guide.md)",
            "[missing](docs/missing.md)",
            "[escape](../outside.md) [site](https://example.com/x.md) [mail](mailto:a@b.c)",
            "[anchor](docs/guide.md#no-such-heading) ![image](img/logo.png \"Logo\")",
            "`[code span](nowhere.md)`",
            "```",
            "[fenced](nowhere.md)",
            "```",
            "[ref]: docs/absent.md",
            "[dir](docs/) [here](#repo) [there](#not-here)",
            ""));
    MarkdownLinks links = new MarkdownLinks(repo);
    assertEquals(
        List.of(repo.resolve("README.md"), repo.resolve("docs/guide.md")),
        links.files(),
        "build output is not checked");
    assertEquals(
        List.of(
            "README.md:3: docs/missing.md: no such file in the repository",
            "README.md:4: ../outside.md: leaves the repository",
            "README.md:5: docs/guide.md#no-such-heading: no heading makes the anchor"
                + " #no-such-heading",
            "README.md:5: img/logo.png: no such file in the repository",
            "README.md:10: docs/absent.md: no such file in the repository",
            "README.md:11: #not-here: no heading makes the anchor #not-here"),
        links.problems());
  }
}
