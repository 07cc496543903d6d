package org.eipc.transport.nats.impl;

import java.net.URI;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NatsAddressTest {

    @Test
    void shouldParseOneOrSeveralServersAndAPrefix() {
        NatsAddress a = NatsAddress.parse(URI.create("nats://10.0.0.1:4222,nats-b.example:4223/eipc.host-1"));
        assertEquals(List.of("10.0.0.1:4222", "nats-b.example:4223"), a.servers());
        assertEquals("eipc.host-1", a.prefix());
        assertEquals("eipc.host-1.accept", a.acceptSubject());
        assertEquals("10.0.0.1:4222,nats-b.example:4223", a.serverKey());
        assertEquals(List.of("[::1]:4222"), NatsAddress.parse(URI.create("nats://[::1]:4222/p")).servers());
    }

    @Test
    void shouldRejectBadAddressesWithAddressInvalid() {
        for (String bad : new String[] {"tcp://127.0.0.1:4222/p", "nats://127.0.0.1:4222", "nats://127.0.0.1:4222/",
            "nats://127.0.0.1/p", "nats://127.0.0.1:0/p", "nats://127.0.0.1:70000/p", "nats://h:1/a.*",
            "nats://h:1/a.>", "nats://h:1/a..b", "nats://h:1/a b", "nats://h:1/p?x=1", "nats://h:1,/p",
            "nats://h:1/" + "x".repeat(200)}) {
            IpcException e = assertThrows(IpcException.class, () -> NatsAddress.parse(URI.create(bad.replace(" ",
                    "%20").replace(">", "%3E"))), bad);
            assertEquals(ErrorCode.ADDRESS_INVALID, e.code(), bad);
        }
    }

    @Test
    void shouldRefuseCredentialsInTheUriWithoutEchoingThem() {
        IpcException e = assertThrows(IpcException.class,
                () -> NatsAddress.parse(URI.create("nats://alice:s3cret@127.0.0.1:4222/p")));
        assertEquals(ErrorCode.ADDRESS_INVALID, e.code());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
}
