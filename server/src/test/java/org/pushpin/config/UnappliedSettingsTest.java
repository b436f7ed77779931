package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnappliedSettingsTest {
    @TempDir
    Path dir;

    private List<String> warnings(String text) throws Exception {
        Path conf = dir.resolve("pushpin.conf");
        Files.writeString(conf, text);
        return UnappliedSettings.of(ConfigLoader.load(
                new StartOptions(conf, null, null, false, null, null, List.of()), dir, List.of()));
    }

    @Test
    void theStockFileNamesNothingHere() throws Exception {
        // its stats_spec is ipc://, warned about where the socket would be opened (app/ZeroMq)
        Path etc = Path.of("/etc/pushpin/pushpin.conf");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(etc), "Debian's pushpin package not installed");
        assertThat(warnings(Files.readString(etc))).isEmpty();
    }

    @Test
    void aTcpStatsSocketIsNamedForTheReportFieldsItLacks() throws Exception {
        List<String> w = warnings("[handler]\nstats_spec=tcp://127.0.0.1:5564\n");
        assertThat(w).singleElement().asString().startsWith("[handler] stats_spec=tcp://127.0.0.1:5564:")
                .contains("no byte or WebSocket message counters");
    }

    @Test
    void eachSettingWithAnEffectWeDoNotHaveGetsOneLine() throws Exception {
        // share_all (request sharing) and orig_headers_need_mark are applied: neither is named
        assertThat(warnings("[proxy]\norig_headers_need_mark=X-A,X-B\n"
                + "max_open_requests=10\n[handler]\nshare_all=true\n")).isEmpty();
    }

    @Test
    void maxOpenRequestsIsAppliedSoNotWarnedAbout() throws Exception {
        assertThat(warnings("[proxy]\nmax_open_requests=10\n")).isEmpty();
    }

    @Test
    void autoCrossOriginIsAppliedSoNotWarnedAbout() throws Exception {
        assertThat(warnings("[proxy]\nauto_cross_origin=true\n")).isEmpty();
    }

    @Test
    void defaultsNameNothing() throws Exception {
        assertThat(warnings("[proxy]\nauto_cross_origin=false\n")).isEmpty();
    }
}
