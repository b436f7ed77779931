package org.pushpin.bench.soak;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.bench.load.Transport;

/**
 * The soak's clients: {@code n} slots, the first {@code polls} of them long-polls and the rest streams, each slot
 * holding one client at a time. Driven by one thread (the churn ticker): it opens clients into free slots (paced,
 * and with at most {@code maxPending} not yet held), retires random held ones, frees the slots of clients the
 * server closed, and fires one-shot fault requests. Client {@code i} connects from {@code 127.0.0.(1 + i % K)},
 * so that many connections fit in the ephemeral port range.
 */
final class Population {
    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final int sources;
    private final Rules rules;
    private final SoakClient[] slots;
    private final int polls;
    private final int maxPending;
    private final long faultTimeoutS;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger faultsInFlight = new AtomicInteger();
    private final SplittableRandom random = new SplittableRandom(8);
    private int nextIndex;
    private long retired;

    Population(EventLoopGroup group, Transport transport, InetSocketAddress server, int sources, Rules rules, int n,
               int polls, int maxPending, long faultTimeoutS) {
        this.bootstrap = new Bootstrap().group(group).channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        this.server = server;
        this.sources = sources;
        this.rules = rules;
        this.slots = new SoakClient[n];
        this.polls = polls;
        this.maxPending = maxPending;
        this.faultTimeoutS = faultTimeoutS;
        for (int i = 0; i < n; i++) {
            free.add(i);
        }
    }

    /** Opens up to {@code max} clients into free slots, as far as the pending bound allows. */
    void topUp(int max) {
        for (int k = 0; k < max && !free.isEmpty() && pending.get() < maxPending; k++) {
            int slot = free.poll();
            int index = nextIndex++;
            SoakClient c = slot < polls ? new PollClient(index, rules, pending) : new StreamClient(index, rules, pending);
            if (c instanceof StreamClient) {
                rules.tally.streamsOpened.increment();
            }
            pending.incrementAndGet();
            slots[slot] = c;
            ChannelFuture f = connect(index, c);
            c.bind(f.channel());
            f.addListener(x -> {
                if (!x.isSuccess()) {
                    c.fail("connect: " + x.cause().getClass().getSimpleName());
                }
            });
        }
    }

    private ChannelFuture connect(int index, ChannelHandler handler) {
        InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + index % sources), 0);
        return bootstrap.clone().handler(handler).connect(server, local);
    }

    /** Frees the slots of clients that ended without us (dropped by the server, failed). */
    void reap() {
        for (int i = 0; i < slots.length; i++) {
            SoakClient c = slots[i];
            if (c != null && !c.channel().isOpen()) {
                slots[i] = null;
                free.add(i);
            }
        }
    }

    /** Closes {@code count} random held clients (their slots are refilled by {@link #topUp}). */
    void churn(int count) {
        for (int tries = 0, done = 0; done < count && tries < 4 * count; tries++) {
            int i = random.nextInt(slots.length);
            SoakClient c = slots[i];
            if (c != null && c.live()) {
                retire(c);
                slots[i] = null;
                free.add(i);
                done++;
            }
        }
    }

    private void retire(SoakClient c) {
        retired++;
        c.channel().eventLoop().execute(() -> c.retire(System.nanoTime()));
    }

    /** Sends one fault request of {@code kind}. */
    void fault(FaultKind kind) {
        int index = nextIndex++;
        FaultClient c = new FaultClient(kind, index, rules.tally, faultsInFlight, faultTimeoutS);
        faultsInFlight.incrementAndGet();
        ChannelFuture f = connect(index, c);
        f.addListener(x -> {
            if (!x.isSuccess()) {
                c.connectFailed();
            }
        });
    }

    int faultsInFlight() {
        return faultsInFlight.get();
    }

    /** Held clients now (streams that got their first bytes, polls connected), not ended. */
    int held() {
        int n = 0;
        for (SoakClient c : slots) {
            if (c != null && c.live()) {
                n++;
            }
        }
        return n;
    }

    int pending() {
        return pending.get();
    }

    long retiredCount() {
        return retired;
    }

    /** Retires every client (the end of the run); returns their close futures. */
    List<ChannelFuture> retireAll() {
        List<ChannelFuture> closed = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            SoakClient c = slots[i];
            if (c != null) {
                retire(c);
                closed.add(c.channel().closeFuture());
                slots[i] = null;
            }
        }
        return closed;
    }
}
