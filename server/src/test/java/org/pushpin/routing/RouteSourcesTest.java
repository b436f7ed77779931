package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteSourcesTest {

    @TempDir
    Path dir;

    @Test
    void routeLinesReplaceTheFile() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=file test\n");
        RouteSource source = RouteSources.open(file, List.of("*,id=arg test"));
        assertThat(source).isInstanceOf(FixedRoutes.class);
        assertThat(source.current().match("h", "/", false, false)).map(Route::id).contains("arg");
    }

    @Test
    void withoutRouteLinesTheFileIsWatched() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=file test\n");
        RouteSource source = RouteSources.open(file, null);
        try (AutoCloseable c = (AutoCloseable) source) {
            assertThat(source).isInstanceOf(RoutesFile.class);
            assertThat(source.current().match("h", "/", false, false)).map(Route::id).contains("file");
        }
    }
}
