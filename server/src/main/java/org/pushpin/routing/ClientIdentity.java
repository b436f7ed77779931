package org.pushpin.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A target's TLS client certificate ({@code client_cert=PATH}, {@code client_key=PATH}; from Pushpin's 2.0 work): the
 * PEM texts, read when the routes are read (a reload reads them again). Equal by content, so connections made with
 * the same files share a pool after a reload.
 *
 * @param certPem the certificate chain, PEM, leaf first
 * @param keyPem  its private key, PEM PKCS#8 ({@code BEGIN PRIVATE KEY})
 */
public record ClientIdentity(String certPem, String keyPem) {

    /** A file or content problem; the message is the warning's reason. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads the two files (a relative path is taken from the working directory, as Pushpin does).
     *
     * @throws Problem with Pushpin's {@code failed to open PATH: reason}, or ours for a file with no PEM certificate
     *                 or PKCS#8 key, or one prop without the other
     */
    static ClientIdentity read(String certPath, String keyPath) throws Problem {
        if (certPath == null || keyPath == null) {
            throw new Problem("client_cert and client_key must be given together");
        }
        String cert = readFile(certPath);
        String key = readFile(keyPath);
        if (!cert.contains("-----BEGIN CERTIFICATE-----")) {
            throw new Problem("client_cert " + certPath + " holds no PEM certificate");
        }
        if (!key.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new Problem("client_key " + keyPath + " holds no PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
        }
        return new ClientIdentity(cert, key);
    }

    private static String readFile(String name) throws Problem {
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new Problem("failed to open " + name + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + certPem.length() + " bytes of certificate]"; // never the key
    }
}
