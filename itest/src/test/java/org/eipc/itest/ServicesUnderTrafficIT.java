package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.audit.AuditLog;
import org.eipc.service.audit.AuditVerifier;
import org.eipc.spi.codec.Codec;
import org.eipc.spi.runtime.MessageGate;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The services that PolicyIT, RegistryIT, BrokerIT, HealthIT and TraceIT do not cover, in Felix under traffic: the
 * audit log records what the runtime refuses (a forged capability) into a chain that verifies; the schema gate refuses
 * an invalid payload with SCHEMA_INVALID naming the path; and the audit, schema and codec bundles are each stopped
 * and started while a client keeps sending requests, none of which fails.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServicesUnderTrafficIT {
    private static final Duration T = Duration.ofSeconds(10);

    @Inject
    BundleContext context;

    private EipcRuntime runtime;
    private Path dir;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"), systemTimeout(30_000));
    }

    @Before
    public void keysAndRuntime() throws Exception {
        runtime = ItSupport.keyAndRuntime(context, "services");
        dir = Files.createTempDirectory("eipc-it-services");
    }

    @Test
    public void refusalsAreAuditedAndInvalidPayloadsRefusedWhileEachServiceBundleRestartsUnderTraffic()
            throws Exception {
        Path auditFile = dir.resolve("audit.jsonl");
        ItSupport.configure(context, "org.eipc.service.audit", ItSupport.props("file", auditFile.toString(),
                "fsync", "always"));
        ItSupport.await(context, AuditLog.class, null);
        Path schemas = Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(schemas.resolve("orders.json"), "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"type\":\"object\",\"required\":[\"qty\"],\"properties\":{\"qty\":{\"type\":\"integer\","
                + "\"minimum\":1}}}");
        ItSupport.configure(context, "org.eipc.schema", ItSupport.props("directory", schemas.toString()));
        ItSupport.await(context, MessageGate.class, "(component.name=*SchemaMessageGate)");

        URI address = URI.create("unix://" + dir.resolve("host.sock"));
        runtime.listen(List.of(address), EndpointOptions.builder().serviceId("host")
                .service("app", List.of("ui:control")).build(),
                (s, m) -> s.reply(m, Message.of(MessageType.ACK, Header.builder().build(),
                        "ok".getBytes(StandardCharsets.UTF_8))));
        Session app = runtime.connect(List.of(address), EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, T);

        // the schema gate: valid delivered, invalid refused with the failing path
        assertEquals("ok", request(app, "orders", "{\"qty\":2}", ""));
        IpcException invalid = refused(app, "orders", "{\"qty\":0}", "");
        assertEquals(ErrorCode.SCHEMA_INVALID, invalid.code());
        assertTrue(invalid.getMessage(), invalid.getMessage().contains("qty"));

        // the audit log: a forged capability handle is refused and written
        assertEquals(ErrorCode.CAPABILITY_DENIED,
                refused(app, "ui", "{}", "ui:control#AAAAAAAAAAAAAAAAAAAAAA").code());
        ItSupport.waitFor("the denial reaches the audit file", () -> contains(auditFile, "CAPABILITY_DENIED"));

        // each bundle stops and starts while requests flow
        try (Traffic traffic = new Traffic(() -> request(app, "ui", "{}", ""))) {
            for (String bsn : List.of("org.eipc.service.audit", "org.eipc.schema", "org.eipc.codec.json",
                    "org.eipc.codec.msgpack", "org.eipc.codec.cbor")) {
                traffic.restart(ItSupport.bundle(context, bsn), 1, 100, () -> { });
            }
            ItSupport.await(context, Codec.class, "(" + Codec.PROP_FORMAT + "=1)");
            traffic.awaitMore("requests flow after the restarts", 100);
        }

        // both services are back: the gate refuses again, the audit log (a new writer on the same chain) records again
        ItSupport.await(context, MessageGate.class, "(component.name=*SchemaMessageGate)");
        assertEquals(ErrorCode.SCHEMA_INVALID, refused(app, "orders", "{}", "").code());
        ItSupport.await(context, AuditLog.class, null);
        assertEquals(ErrorCode.CAPABILITY_DENIED,
                refused(app, "ui", "{}", "ui:control#BBBBBBBBBBBBBBBBBBBBBB").code());
        ItSupport.waitFor("the second denial reaches the audit file", () -> count(auditFile, "CAPABILITY_DENIED") >= 2);
        assertTrue(AuditVerifier.verify(auditFile).toString(), AuditVerifier.verify(auditFile).ok());
        assertTrue(app.isOpen());
    }

    private static boolean contains(Path f, String s) {
        return count(f, s) > 0;
    }

    private static long count(Path f, String s) {
        try {
            return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> l.contains(s)).count() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String request(Session s, String route, String json, String capability) throws Exception {
        Message reply = s.request(Message.of(MessageType.INTENT, Header.builder().route(route).capability(capability)
                .payloadFormat(Header.FORMAT_JSON).build(), json.getBytes(StandardCharsets.UTF_8)), T)
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
    }

    private static IpcException refused(Session s, String route, String json, String capability) throws Exception {
        try {
            request(s, route, json, capability);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IpcException) {
                return (IpcException) e.getCause();
            }
            throw e;
        }
        fail("request on " + route + " was delivered");
        return null;
    }
}
