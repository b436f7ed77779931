package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    @ParameterizedTest(name = "[{index}] {0} +{1}")
    @CsvSource(delimiter = '¦', value = {
        "tcp://127.0.0.1:5560                    ¦ 300 ¦ tcp://127.0.0.1:5860",
        "tcp://*:5560                            ¦ 10  ¦ tcp://*:5570",
        "tcp://[::1]:5560                        ¦ 10  ¦ tcp://[::1]:5570",
        "tcp://host:5560/path                    ¦ 1   ¦ tcp://host:5561/path",
        "tcp://a:1 tcp://b:2                     ¦ 5   ¦ tcp://a:6 tcp://b:7",
        "ipc:///run/x                            ¦ 5   ¦ ipc:///run/x",
        "tcp://noport                            ¦ 5   ¦ tcp://noport",
        "tcp://host:abc                          ¦ 5   ¦ tcp://host:abc",
        "http://127.0.0.1:80                     ¦ 5   ¦ http://127.0.0.1:80",
        "tcp://127.0.0.1:5560                    ¦ -60 ¦ tcp://127.0.0.1:5500",
    })
    void addsThePortOffsetToTcpSpecsOnly(String in, int offset, String expected) {
        assertThat(Settings.addPortOffset(in, offset)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "2                 ¦ 2",
        "0                 ¦ 0",
        "proxy:3           ¦ 2",
        "3,proxy:1         ¦ 3",
        " 1 , handler:0    ¦ 1",
    })
    void logLevels(String spec, int expected) {
        assertThat(LogLevels.defaultLevel(LogLevels.parse(spec))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "``          ¦ log level component cannot be empty",
        "1,          ¦ log level component cannot be empty",
        ":2          ¦ log level component name cannot be empty",
        "-1          ¦ log level must be greater than or equal to 0",
        "two         ¦ log level must be greater than or equal to 0",
        "proxy:x     ¦ log level for service proxy must be greater than or equal to 0",
    })
    void badLogLevels(String spec, String message) {
        assertThatThrownBy(() -> LogLevels.parse(spec)).hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "truncate:2,append ¦ 2 ¦ true",
        "append            ¦ -1 ¦ true",
        "truncate:5,truncate:1 ¦ 1 ¦ false",
    })
    void xffPolicies(String items, int truncate, boolean append) {
        assertThat(XffPolicy.parse(List.of(items.split(",")))).isEqualTo(new XffPolicy(truncate, append));
    }
}
