package org.pushpin.sockjs;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The polling sessions of one server by session id. Requests of one session may come over any connection, so on
 * any loop: the map is the one thing they share; a session itself is touched only on its own loop.
 */
final class SockJsSessions {
    private final ConcurrentHashMap<String, PollingSession> byId = new ConcurrentHashMap<>();

    PollingSession get(String id) {
        return byId.get(id);
    }

    /** {@code session}, unless another has its id already: then that one. */
    PollingSession putIfAbsent(PollingSession session) {
        return byId.putIfAbsent(session.id(), session);
    }

    void remove(PollingSession session) {
        byId.remove(session.id(), session);
    }

    int size() {
        return byId.size();
    }
}
