package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pushpin.testing.Mutations;

/**
 * Property-based fuzzing of pushpin.conf: files with every section and many keys (lists, quoted and escaped values,
 * ports with addresses, booleans, numbers) mutated and cut, loaded the way the server loads them. Each either loads
 * or is refused with a {@link ConfigException} naming the file and line: never another exception, which would stop
 * the server at start-up (or on SIGHUP) with a stack trace instead of the fix.
 */
class ConfigFuzzTest {
    private static final List<String> SEEDS = List.of(
            "[global]\ninclude={libdir}/internal.conf\nrundir=run\nport_offset=0\nstats_connection_ttl=120\n"
                    + "[runner]\nservices=condure,pushpin-proxy,pushpin-handler\nhttp_port=7999\n"
                    + "https_ports=127.0.0.1:8443\nlocal_ports={rundir}/server\nlogdir=log\nlog_level=2,handler:3\n"
                    + "client_buffer_size=8192\nclient_maxconn=50000\nallow_compression=false\n",
            "[proxy]\nroutesfile=routes\ndebug=false\nauto_cross_origin=false\naccept_x_forwarded_protocol=false\n"
                    + "set_x_forwarded_protocol=proto-only\nx_forwarded_for=truncate:0,append\n"
                    + "x_forwarded_for_trusted=\norig_headers_need_mark=\naccept_pushpin_route=false\n"
                    + "cdn_loop=\nlog_from=\nlog_user_agent=false\nsig_iss=pushpin\nsig_key=\"a \\\"b\\\" c\"\n"
                    + "upstream_key=\nsockjs_url=http://cdn.jsdelivr.net/sockjs/0.3.4/sockjs.min.js\n"
                    + "updates_check=report\norganization_name=\nmax_open_requests=-1\n",
            "[handler]\nstats_spec=ipc://{rundir}/{ipc_prefix}stats\ncommand_spec=tcp://127.0.0.1:5563\n"
                    + "message_rate=2500\nmessage_hwm=25000\nmessage_block_size=\nmessage_wait=5000\n"
                    + "id_cache_ttl=60\nconnection_subscription_max=20\nsubscription_linger=60\n"
                    + "stats_format=tnetstring\n"
                    + "push_in_spec=tcp://127.0.0.1:5560\npush_in_sub_specs=tcp://127.0.0.1:5562,tcp://[::1]:5564\n"
                    + "push_in_sub_connect=false\npush_in_http_addr=127.0.0.1\npush_in_http_port=5561\n"
                    + "prometheus_port=\nprometheus_prefix=\n[cluster]\nbroker=none\n"
                    + "redis_url=redis://127.0.0.1:6379\n");

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("pushpin-config-fuzz");
    }

    @AfterContainer
    static void removeDir() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<byte[]> files() {
        return Mutations.of(SEEDS);
    }

    @Property(tries = 3000)
    void aFileEitherLoadsOrIsRefusedNamingTheFile(@ForAll("files") byte[] text) throws Exception {
        Path conf = dir.resolve("pushpin.conf");
        Files.write(conf, text);
        StartOptions opts = new StartOptions(conf, null, null, false, null, null, List.of());
        try {
            PushpinConfig c = ConfigLoader.load(opts, dir, List.of());
            assertThat(c).isNotNull();
            UnappliedSettings.of(c); // the start-up warnings are built from it too
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("pushpin.conf");
        }
    }
}
