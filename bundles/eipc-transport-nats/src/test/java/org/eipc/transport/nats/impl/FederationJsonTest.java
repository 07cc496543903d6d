package org.eipc.transport.nats.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceVersion;
import org.eipc.service.registry.federation.RegistryFederation;
import org.junit.jupiter.api.Test;

/** The federation's messages: exact bytes out, round trips, and every malformed or oversized input refused. */
class FederationJsonTest {
    private static final String INSTANCE = "0123456789abcdef";

    private static ServiceEntry entry() {
        return ServiceEntry.builder("bil\"ling", ServiceVersion.parse("1.2.0-rc.1")).capability("pay", "p\u00e4y")
                .transport(URI.create("unix:///run/eipc/billing.sock"))
                .property("eipc.origin", "forged").property("note", "tab\there\n").build().withOwner("bundle:7/x");
    }

    private static FederationJson.Parsed parse(String json) {
        return FederationJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteTheDocumentedShape() {
        assertEquals("{\"v\":1,\"host\":\"a\",\"instance\":\"0123456789abcdef\",\"id\":17}",
                new String(FederationJson.withdraw("a", INSTANCE, 17), StandardCharsets.UTF_8));
        assertEquals("{\"v\":1,\"host\":\"a\",\"instance\":\"0123456789abcdef\"}",
                new String(FederationJson.query("a", INSTANCE), StandardCharsets.UTF_8));
        ServiceEntry e = ServiceEntry.builder("billing", ServiceVersion.parse("1.2.0")).capability("pay")
                .transport(URI.create("unix:///b.sock")).property("zone", "a").build().withOwner("bundle:7/x");
        assertEquals("{\"v\":1,\"host\":\"a\",\"instance\":\"0123456789abcdef\",\"id\":17,\"ttl\":15000,"
                + "\"name\":\"billing\",\"version\":\"1.2.0\",\"capabilities\":[\"pay\"],"
                + "\"transports\":[\"unix:///b.sock\"],\"owner\":\"bundle:7/x\",\"properties\":{\"zone\":\"a\"}}",
                new String(FederationJson.announce("a", INSTANCE, 17, 15000, e), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRoundTripAnAnnouncementAndMarkItWithTheSendersHost() {
        FederationJson.Parsed p = FederationJson.parse(FederationJson.announce("host-a", INSTANCE, 17, 15000,
                entry()));
        assertEquals("host-a", p.host());
        assertEquals(17, p.id());
        assertEquals(15000, p.ttlMillis());
        assertEquals("bil\"ling", p.entry().name());
        assertEquals(entry().capabilities(), p.entry().capabilities());
        assertEquals(entry().transports(), p.entry().transports());
        assertEquals("tab\there\n", p.entry().properties().get("note"));
        assertEquals("host-a", p.entry().properties().get(RegistryFederation.ORIGIN), "the claimed origin is replaced");
        assertEquals("bundle:7/x", p.entry().owner());
    }

    @Test
    void shouldReadWithdrawalsAndSkipUnknownFields() {
        FederationJson.Parsed w = parse("{\"v\":1,\"host\":\"a\",\"instance\":\"" + INSTANCE
                + "\",\"later\":{\"x\":[1,true,null,\"s\"]}}");
        assertNull(w.entry());
        assertEquals(-1, w.id());
    }

    @Test
    void shouldRefuseMalformedAndOversizedMessages() {
        String head = "{\"v\":1,\"host\":\"a\",\"instance\":\"" + INSTANCE + "\"";
        String[] bad = {
            "", "{", "[]", "{\"v\":1}", head + "}x", head + ",\"v\":1}", "{\"v\":2,\"host\":\"a\",\"instance\":\""
                + INSTANCE + "\"}", head.replace(INSTANCE, "XYZ") + "}", head.replace("\"a\"", "\"a b\"") + "}",
            head + ",\"id\":-1}", head + ",\"id\":1234567890123456789}", head + ",\"id\":01}",
            head + ",\"name\":\"x\",\"id\":1,\"ttl\":100,\"version\":\"1.0.0\"}",
            head + ",\"name\":\"x\",\"id\":1,\"ttl\":15000,\"version\":\"01.0.0\"}",
            head + ",\"name\":\"x\",\"id\":1,\"ttl\":15000,\"version\":\"1.0.0\",\"transports\":[\"no-scheme\"]}",
            head + ",\"name\":\"" + "n".repeat(257) + "\"}", head + ",\"name\":\"a\u0001\"}",
            head + ",\"name\":\"\\u12\"}", head + ",\"deep\":[[[[1]]]]}",
            head + ",\"capabilities\":[" + "\"c\",".repeat(64) + "\"c\"]}",
            head + ",\"properties\":{\"k\":\"v\",\"k\":\"w\"}}",
        };
        for (String b : bad) {
            assertThrows(IllegalArgumentException.class, () -> parse(b), b);
        }
        assertThrows(IllegalArgumentException.class, () -> FederationJson.parse(new byte[FederationJson.MAX_MESSAGE
                + 1]));
        assertThrows(IllegalArgumentException.class, () -> FederationJson.parse(new byte[] {'{', (byte) 0xC3, '}'}));
    }
}
