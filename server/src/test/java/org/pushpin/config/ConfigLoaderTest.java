package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final Path ETC_CONF = Path.of("/etc/pushpin/pushpin.conf");

    @TempDir
    Path dir;

    private static StartOptions opts(Path config) {
        return new StartOptions(config, null, null, false, null, null, List.of());
    }

    /** Writes pushpin.conf into the temp dir and loads it; the lookup never reaches /etc. */
    private PushpinConfig load(String text) throws Exception {
        return ConfigLoader.load(opts(write("pushpin.conf", text)), dir, List.of());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsWithoutAFile() throws Exception {
        PushpinConfig c = ConfigLoader.load(StartOptions.none(), dir, List.of(dir.resolve("nothing.conf")));

        assertThat(c.configFile()).isNull();
        assertThat(c.configDir()).isEqualTo(dir);
        assertThat(c.instanceId()).isEqualTo(-1);
        assertThat(c.portOffset()).isZero();
        assertThat(c.statsConnectionTtl()).isEqualTo(120);

        RunnerConfig r = c.runner();
        assertThat(r.httpPorts()).containsExactly(new ListenSpec(null, 7999));
        assertThat(r.httpsPorts()).isEmpty();
        assertThat(r.localPorts()).isEmpty();
        assertThat(r.certsDir()).isEqualTo(dir.resolve("runner/certs"));
        assertThat(r.clientBufferSize()).isEqualTo(8192);
        assertThat(r.clientMaxconn()).isEqualTo(50000);
        assertThat(r.http2MaxConcurrentStreams()).as("HTTP/2 off unless [runner] http2 is set").isZero();
        assertThat(r.rundir()).isEqualTo(dir);
        assertThat(r.logdir()).as("no logdir: no service log files").isNull();
        assertThat(r.logLevel()).isEqualTo(2);
        assertThat(r.logFile()).isNull();
        assertThat(r.mergeOutput()).isFalse();

        // Without a file, the values of Pushpin's shipped pushpin.conf (builtin-pushpin.conf).
        assertThat(c.proxy()).isEqualTo(new ProxyConfig(dir.resolve("routes"), List.of(), false, false, false,
                ForwardedProtoMode.PROTO_ONLY, XffPolicy.NONE, XffPolicy.NONE, List.of(), false, false, false,
                "pushpin", "changeme", "", -1, ProxyConfig.DEFAULT_SOCKJS_URL, ""));

        assertThat(c.handler()).isEqualTo(new HandlerConfig("tcp://127.0.0.1:5560", List.of("tcp://127.0.0.1:5562"),
                false, "127.0.0.1", 5561, 10000, 1000000, "ipc://" + dir + "/pushpin-stats", "tcp://127.0.0.1:5563",
                2500, 25000, -1, 5000, 60, 20, 60, 60, 10, "tnetstring", null, "", false));
    }

    @Test
    void emptyFileMeansEveryKeyMissing() throws Exception {
        PushpinConfig empty = load("");
        PushpinConfig none = ConfigLoader.load(StartOptions.none(), dir, List.of());
        assertThat(empty.configFile()).isEqualTo(dir.resolve("pushpin.conf"));
        // an existing file is taken as it is: a missing key gets Pushpin's code default, not the built-in file's
        assertThat(empty.runner()).isEqualTo(none.runner());
        assertThat(empty.handler().pushInHttpPort()).isEqualTo(-1);
        assertThat(none.handler().pushInHttpPort()).isEqualTo(5561);
        assertThat(empty.proxy().sigKey()).isEmpty();
    }

    @Test
    void loadsTheInstalledPushpinConfUnchanged() throws Exception {
        assumeTrue(Files.isRegularFile(ETC_CONF), "reference Pushpin not installed");
        PushpinConfig c = ConfigLoader.load(opts(ETC_CONF), dir, List.of());

        assertThat(c.configFile()).isEqualTo(ETC_CONF);
        assertThat(c.runner().httpPorts()).containsExactly(new ListenSpec(null, 7999));
        assertThat(c.runner().rundir()).isEqualTo(Path.of("/var/run/pushpin"));
        assertThat(c.runner().logdir()).isEqualTo(Path.of("/var/log/pushpin"));
        assertThat(c.runner().certsDir()).isEqualTo(Path.of("/etc/pushpin/runner/certs"));
        assertThat(c.runner().clientMaxconn()).isEqualTo(50000);
        assertThat(c.proxy().routesFile()).isEqualTo(Path.of("/etc/pushpin/routes"));
        assertThat(c.proxy().setXForwardedProtocol()).isEqualTo(ForwardedProtoMode.PROTO_ONLY);
        assertThat(c.proxy().sigKey()).isEqualTo("changeme");
        assertThat(c.proxy().xForwardedFor()).isEqualTo(XffPolicy.NONE);
        HandlerConfig h = c.handler();
        assertThat(h.pushInSpec()).isEqualTo("tcp://127.0.0.1:5560");
        assertThat(h.pushInSubSpecs()).containsExactly("tcp://127.0.0.1:5562");
        assertThat(h.pushInHttpAddr()).isEqualTo("127.0.0.1");
        assertThat(h.pushInHttpPort()).isEqualTo(5561);
        assertThat(h.statsSpec()).isEqualTo("ipc:///var/run/pushpin/pushpin-stats");
        assertThat(h.commandSpec()).isEqualTo("tcp://127.0.0.1:5563");
        assertThat(h.messageRate()).isEqualTo(2500);
        assertThat(h.messageHwm()).isEqualTo(25000);
        assertThat(h.idCacheTtl()).isEqualTo(60);
    }

    @Test
    void lookupFindsTheInstalledPushpinConfLast() throws Exception {
        assumeTrue(Files.isRegularFile(ETC_CONF), "reference Pushpin not installed");
        assertThat(ConfigLoader.load(StartOptions.none(), dir).configFile()).isEqualTo(ETC_CONF);
    }

    @ParameterizedTest(name = "[{index}] present {0} -> {1}")
    @CsvSource({
        "pushpin.conf,                                               pushpin.conf",
        "examples/config/pushpin.conf,                               examples/config/pushpin.conf",
        "config/pushpin.conf;pushpin.conf,                           config/pushpin.conf",
        "pushpin.conf;examples/config/pushpin.conf,                  pushpin.conf",
        "config/pushpin.conf;pushpin.conf;examples/config/pushpin.conf, config/pushpin.conf",
    })
    void lookupOrder(String present, String expected) throws Exception {
        for (String name : present.split(";")) {
            write(name, "");
        }
        Path system = dir.resolve("etc/pushpin.conf");
        write("etc/pushpin.conf", "");
        List<Path> candidates = List.of(dir.resolve("config/pushpin.conf"), dir.resolve("pushpin.conf"),
                dir.resolve("examples/config/pushpin.conf"), system);
        PushpinConfig c = ConfigLoader.load(StartOptions.none(), dir, candidates);
        assertThat(c.configFile()).isEqualTo(dir.resolve(expected));
        assertThat(c.configDir()).isEqualTo(dir.resolve(expected).getParent());
        assertThat(ConfigLoader.defaultCandidates(dir)).containsExactly(candidates.get(0), candidates.get(1),
                candidates.get(2), ConfigLoader.SYSTEM_CONFIG);
    }

    @Test
    void relativeConfigOptionIsResolvedAgainstTheWorkingDirectory() throws Exception {
        write("sub/my.conf", "[runner]\nhttp_port=8123\n");
        PushpinConfig c = ConfigLoader.load(opts(Path.of("sub/my.conf")), dir, List.of());
        assertThat(c.configFile()).isEqualTo(dir.resolve("sub/my.conf"));
        assertThat(c.configDir()).isEqualTo(dir.resolve("sub"));
        assertThat(c.proxy().routesFile()).isEqualTo(dir.resolve("sub/routes"));
        assertThat(c.runner().httpPorts()).containsExactly(new ListenSpec(null, 8123));
    }

    @Test
    void includeFillsInWhatTheMainFileLacks() throws Exception {
        write("inc/extra.conf", """
                [runner]
                http_port=1111
                client_maxconn=77
                [handler]
                message_rate=10
                push_in_spec=tcp://127.0.0.1:{port}
                """.replace("{port}", "6000"));
        PushpinConfig c = load("""
                [global]
                include=inc/extra.conf
                [runner]
                http_port=2222
                [handler]
                message_rate=20
                """);
        assertThat(c.runner().httpPorts()).containsExactly(new ListenSpec(null, 2222));
        assertThat(c.runner().clientMaxconn()).isEqualTo(77);
        assertThat(c.handler().messageRate()).isEqualTo(20);
        assertThat(c.handler().pushInSpec()).isEqualTo("tcp://127.0.0.1:6000");
    }

    @Test
    void internalConfLiteralAndLibdirPlaceholderPointIntoLibdir() throws Exception {
        write("lib/internal.conf", "[handler]\nstats_report_interval=7\n");
        String libdir = "[global]\nlibdir=" + dir.resolve("lib") + "\n";
        assertThat(load(libdir + "include=internal.conf\n").handler().statsReportInterval()).isEqualTo(7);
        assertThat(load(libdir + "include={libdir}/internal.conf\n").handler().statsReportInterval()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"include=missing.conf", "include={libdir}/nope/internal.conf", "include=",
        "include=/no/such/dir/internal.conf"})
    void missingIncludeIsIgnored(String include) throws Exception {
        assertThat(load("[global]\n" + include + "\n[runner]\nhttp_port=5\n").runner().httpPorts())
                .containsExactly(new ListenSpec(null, 5));
    }

    @ParameterizedTest(name = "[{index}] port_offset={0} id={1}: {2}")
    @CsvSource(delimiter = '¦', value = {
        // offset ¦ id ¦ push_in_spec in ¦ expected push_in_spec ¦ expected push_in_http_port (from 5561)
        "0   ¦    ¦ tcp://127.0.0.1:5560         ¦ tcp://127.0.0.1:5560         ¦ 5561",
        "300 ¦    ¦ tcp://127.0.0.1:5560         ¦ tcp://127.0.0.1:5860         ¦ 5861",
        "300 ¦    ¦ tcp://*:5560                 ¦ tcp://*:5860                 ¦ 5861",
        "300 ¦    ¦ tcp://[::1]:5560             ¦ tcp://[::1]:5860             ¦ 5861",
        "300 ¦    ¦ ipc://{rundir}/x             ¦ ipc://{rundir}/x             ¦ 5861",
        "-10 ¦    ¦ tcp://127.0.0.1:5560         ¦ tcp://127.0.0.1:5550         ¦ 5551",
        "0   ¦ 2  ¦ tcp://127.0.0.1:5560         ¦ tcp://127.0.0.1:5580         ¦ 5581",
        "300 ¦ 1  ¦ tcp://127.0.0.1:5560         ¦ tcp://127.0.0.1:5570         ¦ 5571",
        "300 ¦ 0  ¦ tcp://127.0.0.1:5560         ¦ tcp://127.0.0.1:5860         ¦ 5861",
    })
    void portOffsetMovesTcpSpecsAndTheHttpPublishPortButNotHttpPort(int offset, Integer id, String spec,
            String expectedSpec, int expectedHttp) throws Exception {
        Path conf = write("pushpin.conf", """
                [global]
                port_offset=%d
                rundir=/run/pp
                [runner]
                http_port=7999
                [handler]
                push_in_spec=%s
                push_in_sub_specs=tcp://127.0.0.1:5562,tcp://10.0.0.1:6000
                push_in_http_port=5561
                command_spec=tcp://127.0.0.1:5563
                stats_spec=ipc://{rundir}/{ipc_prefix}stats
                prometheus_port=9000
                """.formatted(offset, spec));
        StartOptions o = new StartOptions(conf, null, null, false, null, id, List.of());
        PushpinConfig c = ConfigLoader.load(o, dir, List.of());
        int effective = id != null && id > 0 ? id * 10 : offset;

        assertThat(c.portOffset()).isEqualTo(effective);
        assertThat(c.instanceId()).isEqualTo(id == null ? -1 : id);
        assertThat(c.handler().pushInSpec()).isEqualTo(expectedSpec.replace("{rundir}", "/run/pp"));
        assertThat(c.handler().pushInHttpPort()).isEqualTo(expectedHttp);
        assertThat(c.handler().pushInSubSpecs()).containsExactly(
                "tcp://127.0.0.1:" + (5562 + effective), "tcp://10.0.0.1:" + (6000 + effective));
        assertThat(c.handler().commandSpec()).isEqualTo("tcp://127.0.0.1:" + (5563 + effective));
        assertThat(c.handler().statsSpec())
                .isEqualTo("ipc:///run/pp/" + (id == null ? "pushpin-" : "p" + id + "-") + "stats");
        assertThat(c.handler().prometheus()).isEqualTo(new PrometheusListen(null, 9000, null));
        assertThat(c.runner().httpPorts()).containsExactly(new ListenSpec(null, 7999));
    }

    @ParameterizedTest(name = "[{index}] push_in_http_port={0}")
    @CsvSource(delimiter = '¦', value = {"0 ¦ 0", "`` ¦ -1", "5561 ¦ 5661"}, quoteCharacter = '`')
    void httpPublishPortZeroAndEmptyGetNoOffset(String value, int expected) throws Exception {
        assertThat(load("[global]\nport_offset=100\n[handler]\npush_in_http_port=" + value + "\n")
                .handler().pushInHttpPort()).isEqualTo(expected);
    }

    @Test
    void substitutesLibdirRundirAndIpcPrefixEverywhere() throws Exception {
        PushpinConfig c = load("""
                [global]
                rundir=run
                ipc_prefix=pp-
                [runner]
                local_ports={rundir}/{ipc_prefix}server,/abs/sock
                logdir=logs
                [proxy]
                sig_key={libdir}/key
                [handler]
                stats_spec=ipc://{rundir}/{ipc_prefix}stats
                """);
        Path run = dir.resolve("run");
        assertThat(c.runner().rundir()).isEqualTo(run);
        assertThat(c.runner().logdir()).isEqualTo(dir.resolve("logs"));
        assertThat(c.runner().localPorts()).containsExactly(run.resolve("pp-server"), Path.of("/abs/sock"));
        assertThat(c.proxy().sigKey()).isEqualTo("/usr/lib/pushpin/key");
        assertThat(c.handler().statsSpec()).isEqualTo("ipc://" + run + "/pp-stats");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "[global]\\nrundir=/g\\n[runner]\\nrundir=/r ¦ /g",
        "[runner]\\nrundir=/r                      ¦ /r",
        "[global]\\nrundir=                        ¦ .",
        "[global]\\nrundir=rel/dir                 ¦ rel/dir",
    })
    void rundirPrefersGlobalThenTheDeprecatedRunnerKeyThenTheWorkingDirectory(String text, String expected)
            throws Exception {
        assertThat(load(text.replace("\\n", "\n")).runner().rundir()).isEqualTo(dir.resolve(expected).normalize());
    }

    @ParameterizedTest(name = "[{index}] http_port={0}")
    @CsvSource(delimiter = '¦', value = {
        "7999                              ¦ 7999",
        "0                                 ¦ 0",
        "127.0.0.1:8000                    ¦ 127.0.0.1:8000",
        "[::1]:8000                        ¦ [::1]:8000",
        "[::]:8000, 0.0.0.0:8001,8002      ¦ [::]:8000;0.0.0.0:8001;8002",
        "localhost:8000                    ¦ localhost:8000",
        "8000,,8001,                       ¦ 8000;8001",
        "`\"[fe80::1%eth0]:80\"`           ¦ [fe80::1%eth0]:80",
    }, quoteCharacter = '`')
    void listenSpecs(String value, String expected) throws Exception {
        PushpinConfig c = load("[runner]\nhttp_port=" + value + "\nhttps_ports=" + value + "\n");
        List<String> want = List.of(expected.split(";"));
        assertThat(c.runner().httpPorts()).map(ListenSpec::toString).containsExactlyElementsOf(want);
        assertThat(c.runner().httpsPorts()).map(ListenSpec::toString).containsExactlyElementsOf(want);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "https_ports=443          ¦ ¦ 443 ¦",
        "local_ports=/tmp/s       ¦ ¦     ¦ /tmp/s",
        "http_port=80             ¦ 80 ¦  ¦",
        "http_port=80\\nlocal_ports=a ¦ 80 ¦ ¦ a",
    })
    void plainPort7999OnlyWhenNoListenerIsConfigured(String keys, String http, String https, String local)
            throws Exception {
        RunnerConfig r = load("[runner]\n" + keys.replace("\\n", "\n") + "\n").runner();
        assertThat(r.httpPorts()).map(ListenSpec::toString)
                .containsExactlyElementsOf(http == null ? List.of() : List.of(http));
        assertThat(r.httpsPorts()).map(ListenSpec::toString)
                .containsExactlyElementsOf(https == null ? List.of() : List.of(https));
        assertThat(r.localPorts())
                .containsExactlyElementsOf(local == null ? List.of() : List.of(dir.resolve(local)));
    }

    @Test
    void ipv6ListenSpecKeepsTheAddressWithoutBrackets() throws Exception {
        assertThat(load("[runner]\nhttp_port=[::1]:8000\n").runner().httpPorts())
                .containsExactly(new ListenSpec("::1", 8000));
    }

    @ParameterizedTest(name = "[{index}] --port {0}")
    @CsvSource({"9000, , 9000", "127.0.0.1:9001, 127.0.0.1, 9001", "[::1]:9002, ::1, 9002", "0, , 0"})
    void portOptionReplacesEveryListener(String port, String host, int expected) throws Exception {
        Path conf = write("pushpin.conf", """
                [runner]
                http_port=7999,127.0.0.1:7998
                https_ports=443
                local_ports=/tmp/sock
                """);
        StartOptions o = new StartOptions(conf, null, null, false, port, null, List.of());
        RunnerConfig r = ConfigLoader.load(o, dir, List.of()).runner();
        assertThat(r.httpPorts()).containsExactly(new ListenSpec(host, expected));
        assertThat(r.httpsPorts()).isEmpty();
        assertThat(r.localPorts()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "true ¦ true", "TRUE ¦ true", "1 ¦ true", "yes ¦ true", "no ¦ true",
        "false ¦ false", "False ¦ false", "0 ¦ false", "`` ¦ false", "a,b ¦ false",
    })
    void booleansFollowQVariant(String value, boolean expected) throws Exception {
        ProxyConfig p = load("[proxy]\ndebug=" + value + "\nlog_from=" + value + "\n").proxy();
        assertThat(p.debug()).isEqualTo(expected);
        assertThat(p.logFrom()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] set_x_forwarded_protocol={0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "true ¦ BOTH", "proto-only ¦ PROTO_ONLY", "false ¦ OFF", "`` ¦ OFF", "yes ¦ OFF", "TRUE ¦ OFF",
    })
    void forwardedProtocolMode(String value, ForwardedProtoMode expected) throws Exception {
        assertThat(load("[proxy]\nset_x_forwarded_protocol=" + value + "\n").proxy().setXForwardedProtocol())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] x_forwarded_for={0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "``                   ¦ -1 ¦ false",
        "append               ¦ -1 ¦ true",
        "truncate:0           ¦ 0  ¦ false",
        "truncate:0,append    ¦ 0  ¦ true",
        "append, truncate:3   ¦ 3  ¦ true",
        "bogus,append         ¦ -1 ¦ true",
    })
    void forwardedForPolicy(String value, int truncate, boolean append) throws Exception {
        ProxyConfig p = load("[proxy]\nx_forwarded_for=" + value + "\nx_forwarded_for_trusted=" + value + "\n")
                .proxy();
        assertThat(p.xForwardedFor()).isEqualTo(new XffPolicy(truncate, append));
        assertThat(p.xForwardedForTrusted()).isEqualTo(new XffPolicy(truncate, append));
        assertThat(p.xForwardedFor().isNone()).isEqualTo(truncate < 0 && !append);
    }

    /** 1.36 reads push_in_max_*_size; 1.41 (and its shipped file) push_in_http_max_*_size, which wins. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                                                              | 10000 | 1000000 | true",
        "push_in_max_headers_size=11;push_in_max_body_size=12           | 11    | 12      | true",
        "push_in_http_max_headers_size=21;push_in_max_headers_size=11   | 21    | 1000000 | true",
        "push_in_http_max_body_size=22;push_in_max_body_size=12         | 10000 | 22      | true",
        "update_on_first_subscription=false                              | 10000 | 1000000 | false",
    })
    void controlLimitNamesAndFirstSubscriptionUpdate(String lines, int headers, int body, boolean update)
            throws Exception {
        HandlerConfig h = load("[handler]\n" + lines.replace(";", "\n") + "\n").handler();
        assertThat(h.pushInHttpMaxHeadersSize()).isEqualTo(headers);
        assertThat(h.pushInHttpMaxBodySize()).isEqualTo(body);
        assertThat(h.updateOnFirstSubscription()).isEqualTo(update);
    }

    @ParameterizedTest(name = "[{index}] log_level={0} --loglevel={1}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "     ¦      ¦ 2",
        "3    ¦      ¦ 3",
        "``   ¦      ¦ 2",
        "proxy:3 ¦   ¦ 2",
        "1,proxy:3 ¦ ¦ 1",
        "3    ¦ 0    ¦ 0",
        "3    ¦ handler:1 ¦ 2",
        "0    ¦ 3    ¦ 3",
    })
    void logLevelFromFileAndCommandLine(String file, String option, int expected) throws Exception {
        Path conf = write("pushpin.conf", file == null ? "" : "[runner]\nlog_level=" + file + "\n");
        StartOptions o = new StartOptions(conf, null, option, false, null, null, List.of());
        assertThat(ConfigLoader.load(o, dir, List.of()).runner().logLevel()).isEqualTo(expected);
    }

    @Test
    void commandLineOnlyValuesAreCarriedOver() throws Exception {
        Path conf = write("pushpin.conf", "[proxy]\nroutesfile=/abs/routes\n");
        StartOptions o = new StartOptions(conf, Path.of("logs/pushpin.log"), null, true, null, null,
                List.of("* localhost:80", "example.com test"));
        PushpinConfig c = ConfigLoader.load(o, dir, List.of());
        assertThat(c.runner().logFile()).isEqualTo(dir.resolve("logs/pushpin.log"));
        assertThat(c.runner().mergeOutput()).isTrue();
        assertThat(c.proxy().routeLines()).containsExactly("* localhost:80", "example.com test");
        assertThat(c.proxy().routesFile()).isEqualTo(Path.of("/abs/routes"));
    }

    @Test
    void everyHandlerAndProxyKeyIsRead() throws Exception {
        PushpinConfig c = load("""
                [global]
                stats_connection_ttl=30
                [proxy]
                routesfile=conf.d/routes
                auto_cross_origin=true
                accept_x_forwarded_protocol=true
                orig_headers_need_mark=Authorization, Cookie
                accept_pushpin_route=true
                log_user_agent=true
                sig_iss=me
                sig_key="base64:a2V5"
                upstream_key=up
                max_open_requests=100
                cdn_loop=pushpin-a
                unknown_future_key=whatever
                [handler]
                push_in_sub_spec=tcp://127.0.0.1:7000
                push_in_sub_connect=true
                push_in_http_addr=0.0.0.0
                push_in_http_max_headers_size=5
                push_in_http_max_body_size=6
                message_block_size=1024
                message_wait=7
                connection_subscription_max=8
                subscription_linger=9
                stats_subscription_ttl=11
                stats_report_interval=0
                stats_format=json
                prometheus_prefix=pp_
                share_all=true
                """);
        assertThat(c.statsConnectionTtl()).isEqualTo(30);
        assertThat(c.proxy()).isEqualTo(new ProxyConfig(dir.resolve("conf.d/routes"), List.of(), false, true, true,
                ForwardedProtoMode.OFF, XffPolicy.NONE, XffPolicy.NONE, List.of("Authorization", "Cookie"), true,
                false, true, "me", "base64:a2V5", "up", 100, ProxyConfig.DEFAULT_SOCKJS_URL, "pushpin-a"));
        assertThat(c.handler()).isEqualTo(new HandlerConfig("", List.of("tcp://127.0.0.1:7000"), true, "0.0.0.0",
                -1, 5, 6, "", "", -1, -1, 1024, 7, 0, 8, 9, 11, 0, "json", null, "pp_", true));
    }
}
