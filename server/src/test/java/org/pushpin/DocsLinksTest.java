package org.pushpin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every link in the repository's Markdown (README, docs/, examples/) resolves inside the repository: a relative
 * link names a file or folder that exists, and a {@code #fragment} into a Markdown file names one of its headings
 * (GitHub's anchor rule). Links to the web are not followed (tests use loopback only); links that leave the
 * repository ({@code ../} above its root) fail.
 */
class DocsLinksTest {
    /** {@code [text](target)} and {@code ![alt](target)}, target up to a space or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        return Files.isDirectory(p.resolve("docs")) ? p : p.getParent();
    }

    @Test
    void everyLinkInTheMarkdownResolvesInsideTheRepository() throws IOException {
        Path root = root();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        for (String dir : List.of("docs", "examples")) {
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("node_modules"))
                        .forEach(pages::add);
            }
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(page)) {
                checked++;
                String why = check(root, page, target);
                if (why != null) {
                    broken.add(root.relativize(page) + ": (" + target + ") " + why);
                }
            }
        }
        assertThat(checked).as("links found").isGreaterThan(50);
        assertThat(broken).as("broken links").isEmpty();
    }

    /** A repository path named in backticks ({@code `scripts/bench-wrk.sh`}) is one that exists. */
    @Test
    void everyRepositoryPathNamedInTheMarkdownExists() throws IOException {
        Path root = root();
        Pattern named = Pattern.compile("`((?:docs|scripts|server|bench|bin|dist|examples)/[A-Za-z0-9_./-]+"
                + "\\.(?:md|sh|java|py|mjs|conf|service|png|svg|xml|json))(?:#[^`]*)?`");
        List<String> missing = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher m = named.matcher(Files.readString(page));
            while (m.find()) {
                if (!Files.exists(root.resolve(m.group(1)))) {
                    missing.add(root.relativize(page) + ": " + m.group(1));
                }
            }
        }
        assertThat(missing).as("paths named but missing").isEmpty();
    }

    /** The code's own pointers into the docs ({@code docs/PAGE.md#ANCHOR} in comments and scripts) resolve too. */
    @Test
    void everyDocsPointerInTheCodeResolves() throws IOException {
        Path root = root();
        Pattern pointer = Pattern.compile("docs/[a-z0-9-]+\\.md(?:#[a-z0-9_-]+)?");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (String dir : List.of("server/src", "bench/src", "scripts", "bin")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                files = s.filter(p -> p.toString().matches(".*\\.(java|sh|py)$")).toList();
            }
            for (Path f : files) {
                Matcher m = pointer.matcher(Files.readString(f));
                while (m.find()) {
                    checked++;
                    String why = check(root, root.resolve("README.md"), m.group());
                    if (why != null) {
                        broken.add(root.relativize(f) + ": " + m.group() + " " + why);
                    }
                }
            }
        }
        assertThat(checked).as("pointers found").isGreaterThan(20);
        assertThat(broken).as("broken pointers").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(anchor("Request sharing")).isEqualTo("request-sharing");
        assertThat(anchor("`[handler]` keys: 1.36 & later")).isEqualTo("handler-keys-136--later");
        assertThat(anchor("Against the best peer (issue 13)")).isEqualTo("against-the-best-peer-issue-13");
    }

    private static List<String> links(Path page) throws IOException {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(page)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            // inline code is not a link: `[x](y)` in backticks is shown, not followed
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Why {@code target} does not resolve from {@code page}, or null when it does. */
    private static String check(Path root, Path page, String target) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: — outside the repository by intent
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root)) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (fragment != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(fragment)) {
            return "no heading with anchor #" + fragment + " in " + root.relativize(resolved);
        }
        return null;
    }

    private static Set<String> anchors(Path page) throws IOException {
        Set<String> out = new HashSet<>();
        Set<String> seen = new HashSet<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(page)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!inFence && m.matches()) {
                String a = anchor(m.group(1));
                // repeated headings get -1, -2, ... as on GitHub
                String unique = a;
                for (int i = 1; !seen.add(unique); i++) {
                    unique = a + "-" + i;
                }
                out.add(unique);
            }
            // explicit anchors: <a id="x"></a> or <a name="x">
            Matcher html = Pattern.compile("<a (?:id|name)=\"([^\"]+)\"").matcher(line);
            while (html.find()) {
                out.add(html.group(1));
            }
        }
        return out;
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' removed, spaces to '-'. */
    static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link in a heading keeps its text
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s_-]", "").replace(' ', '-');
    }
}
