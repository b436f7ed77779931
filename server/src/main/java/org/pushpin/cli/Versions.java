package org.pushpin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What {@code --version} prints: first the Pushpin version we stand in for, exactly as Pushpin prints it (scripts that
 * check Pushpin's version read the first line: {@code pushpin --version | head -1}), then our own on a second line.
 */
final class Versions {
    /** The Pushpin release whose behaviour we reproduce. */
    static final String PUSHPIN = "1.36.0";

    private Versions() {
    }

    /**
     * pushpin-java's own version, from the pom ({@code 0.1.0}, {@code 0.1.0-SNAPSHOT} between releases); "unknown"
     * only when the resource is missing (classes run without Maven's resource step).
     */
    static String own() {
        try (InputStream in = Versions.class.getResourceAsStream("/pushpin-java-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The {@code --version} text of {@code program} ("pushpin" or "pushpin-publish"), two lines. */
    static String text(String program) {
        return program + " " + PUSHPIN + System.lineSeparator() + "pushpin-java " + own();
    }
}
