package org.pushpin.zhttp.client;

/** One request under way; its methods may be called from any thread. */
public interface ZhttpCall {
    /** The receiver took {@code bytes} of the body: the service may send that much more (stream mode). */
    void credit(int bytes);

    /** The receiver gave up: the service is told (stream mode) and nothing more is heard. */
    void cancel();
}
