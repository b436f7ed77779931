package org.pushpin.hold;

import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.pushpin.hub.ResumeGate;
import org.pushpin.hub.Subscriber;

/**
 * The WebSocket sessions' resumed subscriptions (docs/history.md): a {@code subscribe} control message with a
 * {@code last-id} subscribes a {@link ResumeGate} in the session's place for that channel, kept here so the session
 * unsubscribes the gate later. Only sessions that resumed have an entry; a session touches its own entry on its own
 * loop, the map is shared by the loops. Exists only while history is on.
 */
final class WsResumes {
    private final ConcurrentHashMap<WsGripSession, HashMap<String, ResumeGate>> gates = new ConcurrentHashMap<>();

    /** A new gate for {@code session}'s subscription to {@code channel} (full name). */
    ResumeGate open(WsGripSession session, String channel) {
        ResumeGate gate = new ResumeGate(session);
        gates.computeIfAbsent(session, s -> new HashMap<>(2)).put(channel, gate);
        return gate;
    }

    /** What the hub holds for {@code session} on {@code channel}, forgotten here: its gate, else the session. */
    Subscriber close(WsGripSession session, String channel) {
        HashMap<String, ResumeGate> mine = gates.get(session);
        ResumeGate gate = mine == null ? null : mine.remove(channel);
        if (gate == null) {
            return session;
        }
        if (mine.isEmpty()) {
            gates.remove(session);
        }
        gate.cancel();
        return gate;
    }

    /** Sessions with a resumed subscription (tests). */
    int sessions() {
        return gates.size();
    }
}
