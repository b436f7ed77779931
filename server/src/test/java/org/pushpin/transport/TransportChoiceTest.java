package org.pushpin.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which transport {@code -Dpushpin.transport} gets, given what the platform has. */
class TransportChoiceTest {
    @Test
    void epollByDefaultAndNioWithoutIt() {
        assertThat(Transport.choose(null, () -> true, () -> true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("epoll", () -> true, () -> true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose(null, () -> false, () -> true)).isEqualTo(Transport.NIO);
    }

    @Test
    void ioUringWhenAskedForAndAvailable() {
        assertThat(Transport.choose("io_uring", () -> true, () -> true)).isEqualTo(Transport.IO_URING);
        assertThat(Transport.choose("IO-URING", () -> true, () -> true)).isEqualTo(Transport.IO_URING);
        assertThat(Transport.choose("iouring", () -> false, () -> true)).isEqualTo(Transport.IO_URING);
    }

    @Test
    void ioUringFallsBackToEpollThenNio() {
        assertThat(Transport.choose("io_uring", () -> true, () -> false)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("io_uring", () -> false, () -> false)).isEqualTo(Transport.NIO);
    }

    @Test
    void nioWhenAskedFor() {
        assertThat(Transport.choose("nio", () -> true, () -> true)).isEqualTo(Transport.NIO);
    }

    @Test
    void anUnknownNameIsAnError() {
        assertThatThrownBy(() -> Transport.choose("kqueue", () -> true, () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pushpin.transport=kqueue: unknown transport (epoll, io_uring or nio)");
    }
}
