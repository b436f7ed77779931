package org.pushpin.hub;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@link Hub#drain}: every subscriber ends its hold on its own loop; one future for all loops. */
final class HubDrain {
    private HubDrain() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Future<?> drain(EventExecutor hubThread, Map<EventLoop, HashMap<String, LoopChannel>> registries,
                           Consumer<LoopChannel> releaseIfEmpty) {
        List<Future<?>> done = new ArrayList<>();
        for (Map.Entry<EventLoop, HashMap<String, LoopChannel>> e : registries.entrySet()) {
            HashMap<String, LoopChannel> registry = e.getValue();
            done.add(e.getKey().submit(() -> {
                for (LoopChannel lc : new ArrayList<>(registry.values())) {
                    lc.forEach(Subscriber::drain);
                    releaseIfEmpty.accept(lc);
                }
            }));
        }
        Promise<Void> all = hubThread.newPromise();
        hubThread.execute(() -> {
            PromiseCombiner combiner = new PromiseCombiner(hubThread);
            done.forEach(f -> combiner.add((Future) f));
            combiner.finish(all);
        });
        return all;
    }
}
