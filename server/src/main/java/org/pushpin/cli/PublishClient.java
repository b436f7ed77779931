package org.pushpin.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.pushpin.cli.PublishCommand.PublishException;

/**
 * Sends one publish body to a GRIP URL the way Pushpin 1.36's tool does: {@code POST <path>/publish/} with
 * {@code Content-Type: application/json}, Basic auth (or, as Pushpin 2.0's tool, Bearer) only over https, success
 * only on a 200. The URL is split
 * as the tool splits it (scheme, then {@code //}, host up to the first {@code /}, the rest as the path prefix).
 */
final class PublishClient {
    private PublishClient() {
    }

    /** The {@code Authorization} value for {@code -u user:pass}. */
    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param authorization the {@code Authorization} value ({@code Basic ...}, {@code Bearer ...}), or null
     * @param http          the client to send with, or null for a default HTTP/1.1 one
     */
    static void send(String spec, String authorization, String body, HttpClient http) throws PublishException {
        int colon = spec.indexOf(':');
        String rest = spec.substring(colon + 1);
        if (!rest.startsWith("//")) {
            throw new PublishException("invalid URL");
        }
        String scheme = spec.substring(0, colon);
        rest = rest.substring(2);
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int portAt = host.indexOf(':');
        if (portAt >= 0 && !validPort(host.substring(portAt + 1))) {
            throw new PublishException("invalid URL");
        }
        URI uri;
        try {
            uri = URI.create(scheme + "://" + host + path + "/publish/");
        } catch (IllegalArgumentException e) {
            throw new PublishException("invalid URL");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            if (!scheme.equals("https")) {
                throw new PublishException("Authentication requires https");
            }
            req.header("Authorization", authorization);
        }
        HttpResponse<String> resp;
        try {
            HttpClient client = http != null ? http
                    : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            // the reference tool's wording (Rust's io::Error text)
            throw new PublishException("Connection refused (os error 111)");
        } catch (IOException e) {
            throw new PublishException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new PublishException("invalid URL");
        }
        if (resp.statusCode() != 200) {
            throw new PublishException(resp.body().strip());
        }
    }

    private static boolean validPort(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return Integer.parseInt(s) <= 65535;
    }
}
