package org.pushpin.proxy;

/** What makes two origin connections interchangeable for the keep-alive pool. */
record OriginKey(String host, int port, boolean ssl, boolean insecure) {
}
