package org.eipc.launcher.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

class AddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:0", "tls://localhost:8443", "unix:///run/eipc/host.sock",
        "shm:///dev/shm/eipc-ring", "TCP://[::1]:9000"})
    void shouldAcceptTheFourSchemes(String text) {
        assertEquals(text, Addresses.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://host", "tcp://:80", "tcp://h:99999", "tcp://h:80/path", "http://h:80",
        "unix://relative/x", "unix://host/x", "shm:///dir/", "not a uri", "", "/tmp/x.sock"})
    void shouldRejectMalformedAddressesAsUsageErrors(String text) {
        IpcException e = assertThrows(IpcException.class, () -> Addresses.parse(text));
        assertEquals(ErrorCode.ADDRESS_INVALID, e.code());
        assertEquals(2, e.code().category().exitCode());
    }

    @Test
    void shouldRejectSocketPathsLongerThan107Bytes() {
        String path = "/tmp/" + "x".repeat(103);
        assertThrows(IpcException.class, () -> Addresses.parse("unix://" + path));
        assertEquals("unix:///tmp/" + "x".repeat(102), Addresses.parse("unix:///tmp/" + "x".repeat(102)).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "-1s", "5x", "PT0S", "soon"})
    void shouldRejectBadDurations(String text) {
        assertThrows(TypeConversionException.class, () -> Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1500ms", "2s", "2", "PT2S", "1m", "1h"})
    void shouldParseDurations(String text) {
        Duration d = Durations.parse(text);
        assertEquals(switch (text) {
            case "1500ms" -> Duration.ofMillis(1500);
            case "1m" -> Duration.ofMinutes(1);
            case "1h" -> Duration.ofHours(1);
            default -> Duration.ofSeconds(2);
        }, d);
    }
}
