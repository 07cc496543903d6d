package org.eipc.schema.impl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSchemaServiceTest {
    static final String INTENT = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object",
             "required": ["intent", "confidence"],
             "properties": {
               "intent": {"type": "string", "enum": ["move_left", "move_right"]},
               "confidence": {"$ref": "common.json#/$defs/probability"},
               "session_id": {"type": "string"}
             },
             "additionalProperties": false}
            """;
    static final String COMMON = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "$defs": {"probability": {"type": "number", "minimum": 0, "maximum": 1}}}
            """;

    @TempDir
    Path dir;

    JsonSchemaService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    JsonSchemaService open(final boolean watch) {
        service = new JsonSchemaService(dir, Duration.ofSeconds(1), 1 << 16, 32, 1 << 16, 10, watch);
        return service;
    }

    void write(final String name, final String content) throws IOException {
        // write elsewhere and move, so a watcher never sees half a file
        Path tmp = Files.createTempFile(dir.getParent(), "schema", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ByteBuffer json(final String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static IpcException invalid(final Runnable r) {
        IpcException e = assertThrows(IpcException.class, r::run);
        assertEquals(ErrorCode.SCHEMA_INVALID, e.code(), e.getMessage());
        return e;
    }

    @Test
    void shouldAcceptAValidPayloadUsingALocalRef() throws IOException {
        write("intent.json", INTENT);
        write("common.json", COMMON);
        open(false);
        ByteBuffer payload = json("{\"intent\":\"move_left\",\"confidence\":0.91,\"session_id\":\"t\"}");
        service.validate("intent", payload);
        assertEquals(0, payload.position());
    }

    @Test
    void shouldNameTheFailingPathsOfAnInvalidPayload() throws IOException {
        write("intent.json", INTENT);
        write("common.json", COMMON);
        open(false);
        IpcException e = invalid(() -> service.validate("intent",
                json("{\"intent\":\"jump\",\"confidence\":1.5,\"secret\":\"s3cr3t-value\"}")));
        String m = e.getMessage();
        assertTrue(m.contains("schema 'intent'"), m);
        assertTrue(m.contains("$.intent"), m);
        assertTrue(m.contains("$.confidence"), m);
        assertTrue(m.contains("maximum"), m);
        assertTrue(m.contains("additionalProperties"), m);
        IpcException missing = invalid(() -> service.validate("intent", json("{\"intent\":\"move_left\"}")));
        assertTrue(missing.getMessage().contains("confidence"), missing.getMessage());
    }

    @Test
    void shouldMapFileNamesToSchemaIdsAndIgnoreOtherFiles() throws IOException {
        write("intent.json", INTENT);
        write("common.json", COMMON);
        write("channel-2.json", "{\"type\":\"object\"}");
        write("nia.min.json", "{\"type\":\"object\"}");
        write("bad name.json", "{}");
        write("notes.txt", "{}");
        write(".hidden.json", "{}");
        Files.createDirectory(dir.resolve("sub.json"));
        open(false);
        assertEquals(Set.of("intent", "common", "channel-2", "nia.min"), service.schemaIds());
        assertTrue(service.hasSchema("channel-2"));
        assertFalse(service.hasSchema("bad name"));
    }

    @Test
    void shouldRejectUnknownSchemaAndNonJsonAndOversizedPayloads() throws IOException {
        write("channel-2.json", "{\"type\":\"object\"}");
        open(false);
        assertTrue(invalid(() -> service.validate("nope", json("{}"))).getMessage().contains("no schema 'nope'"));
        assertTrue(invalid(() -> service.validate("channel-2", json("{\"a\":"))).getMessage().contains("is not JSON"));
        invalid(() -> service.validate("channel-2", json("{} {}")));
        invalid(() -> service.validate("channel-2", json("[".repeat(40) + "]".repeat(40))));
        IpcException big = invalid(() -> service.validate("channel-2", ByteBuffer.allocate((1 << 16) + 1)));
        assertTrue(big.getMessage().contains("maxPayloadBytes"), big.getMessage());
    }

    @Test
    void shouldRefuseARemoteRefWithoutFetchingIt() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/defs.json";
            write("remote.json", "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + url + "#/$defs/x\"}}}");
            write("remote-id.json", "{\"$id\":\"http://127.0.0.1:" + server.getLocalPort() + "/base/\","
                    + "\"properties\":{\"a\":{\"$ref\":\"other.json\"}}}");
            write("ok.json", "{\"type\":\"object\"}");
            open(false);
            for (String id : new String[] {"remote", "remote-id"}) {
                IpcException e = invalid(() -> service.validate(id, json("{\"a\":1}")));
                assertTrue(e.getMessage().contains("not usable"), e.getMessage());
            }
            assertDoesNotThrow(() -> service.validate("ok", json("{\"a\":1}")));
            // a fetch would have connected during validate; nothing is waiting to be accepted
            server.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, server::accept, "the validator connected to the remote $ref");
        }
    }

    @Test
    void shouldRefuseRefsToFilesOutsideTheDirectory() throws IOException {
        Path outside = dir.getParent().resolve("outside-" + dir.getFileName() + ".json");
        Files.writeString(outside, COMMON);
        try {
            write("escape.json", "{\"properties\":{\"a\":{\"$ref\":\"../" + outside.getFileName() + "#/$defs/probability\"}}}");
            open(false);
            invalid(() -> service.validate("escape", json("{\"a\":0.5}")));
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void shouldKeepOtherSchemasWhenOneFileIsBroken() throws IOException {
        write("broken.json", "{\"type\": ");
        write("channel-1.json", "{\"type\":\"array\"}");
        open(false);
        assertTrue(service.hasSchema("broken"));
        assertTrue(invalid(() -> service.validate("broken", json("{}"))).getMessage().contains("not usable"));
        service.validate("channel-1", json("[1]"));
    }

    @Test
    void shouldReloadChangedAddedAndRemovedFilesOnRescan() throws IOException {
        write("channel-1.json", "{\"type\":\"array\"}");
        open(false);
        service.validate("channel-1", json("[]"));
        assertFalse(service.rescan(), "nothing changed");
        write("channel-1.json", "{\"type\":\"object\"}"); // a new file (new inode), so a changed fingerprint
        write("channel-3.json", "{\"type\":\"string\"}");
        assertTrue(service.rescan());
        service.validate("channel-1", json("{}"));
        invalid(() -> service.validate("channel-1", json("[]")));
        service.validate("channel-3", json("\"x\""));
        Files.delete(dir.resolve("channel-3.json"));
        assertTrue(service.rescan());
        assertFalse(service.hasSchema("channel-3"));
    }

    @Test
    void shouldPickUpAChangeThroughTheWatcher() throws Exception {
        open(true);
        assertFalse(service.hasSchema("channel-7"));
        write("channel-7.json", "{\"type\":\"integer\"}");
        // wait for the watcher or the 1 s fallback rescan; the bound only ends a failing run
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!service.hasSchema("channel-7") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(service.hasSchema("channel-7"));
        service.validate("channel-7", json("7"));
    }

    @Test
    void shouldValidateIpcprimsChannelsAgainstChannelSchemas() throws IOException {
        write("channel-2.json", "{\"type\":\"object\",\"required\":[\"op\"]}");
        open(false);
        SchemaChannelValidator channels = new SchemaChannelValidator(service);
        channels.validate(2, json("{\"op\":\"x\"}"));
        channels.validate(5, json("not even json")); // no schema: passes
        IpcException e = invalid(() -> channels.validate(2, json("{}")));
        assertTrue(e.getMessage().contains("channel-2") && e.getMessage().contains("op"), e.getMessage());
    }

    @Test
    void shouldRefuseAMissingDirectory() {
        IpcException e = assertThrows(IpcException.class, () -> new JsonSchemaService(dir.resolve("missing"),
                Duration.ofSeconds(1), 1024, 8, 1024, 10, false));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    }
}
