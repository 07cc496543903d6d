package org.eipc.schema.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.schema.SchemaValidator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaValidator} over a schema directory (networknt json-schema-validator, JSON Schema 2020-12).
 *
 * <p>The directory is loaded at activation and again whenever it changes: a {@link WatchService} thread asks for
 * a rescan on every change, and a rescan also runs every {@code rescanSeconds} as a fallback. A rescan compares
 * names, sizes and modification times and rebuilds the whole set only when they differ; the new set replaces the
 * old one atomically. Remote {@code $ref}s are refused (see {@link LocalFileLoader}).
 *
 * <p>Configuration PID {@value #PID}; required, since there is no safe default directory.
 */
@Component(service = SchemaValidator.class, configurationPid = JsonSchemaService.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SchemaServiceConfig.class)
public final class JsonSchemaService implements SchemaValidator {
    private static final Logger LOG = LoggerFactory.getLogger(JsonSchemaService.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.schema";

    private final Path directory;
    private final LocalFileLoader loader;
    private final ObjectMapper reader;
    private final int maxPayloadBytes;
    private final int maxReportedErrors;
    private final ScheduledExecutorService scanner;
    private final WatchService watcher;
    private final Thread watchThread;
    private volatile SchemaSet schemas = SchemaSet.empty();

    @Activate
    public JsonSchemaService(final SchemaServiceConfig config) {
        this(directoryOf(config.directory()), Duration.ofSeconds(range("rescanSeconds", config.rescanSeconds(), 1, 3600)),
                (int) range("maxPayloadBytes", config.maxPayloadBytes(), 16, Integer.MAX_VALUE),
                (int) range("maxNestingDepth", config.maxNestingDepth(), 1, 1000),
                (int) range("maxSchemaBytes", config.maxSchemaBytes(), 16, Integer.MAX_VALUE),
                (int) range("maxReportedErrors", config.maxReportedErrors(), 1, 100), true);
    }

    /**
     * @param watch whether to start the watch and rescan threads (tests call {@link #rescan()} themselves when
     *        false)
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the directory is not a directory
     */
    JsonSchemaService(final Path directory, final Duration rescan, final int maxPayloadBytes, final int maxNestingDepth,
            final int maxSchemaBytes, final int maxReportedErrors, final boolean watch) {
        this.directory = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.directory)) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "directory=" + directory + " is not a directory");
        }
        this.loader = new LocalFileLoader(this.directory, maxSchemaBytes);
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxReportedErrors = maxReportedErrors;
        this.reader = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(Math.max(maxPayloadBytes, maxSchemaBytes)).maxNestingDepth(maxNestingDepth)
                        .build()).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        rescan();
        if (!watch) {
            scanner = null;
            watcher = null;
            watchThread = null;
            return;
        }
        scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "eipc-schema-scan"));
        scanner.scheduleWithFixedDelay(this::rescanQuietly, rescan.toMillis(), rescan.toMillis(), TimeUnit.MILLISECONDS);
        WatchService ws = null;
        try {
            ws = this.directory.getFileSystem().newWatchService();
            this.directory.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("no change notification for {}; relying on the rescan every {} s", directory, rescan.getSeconds());
            closeQuietly(ws);
            ws = null;
        }
        watcher = ws;
        watchThread = ws == null ? null : daemon(this::watchLoop, "eipc-schema-watch");
        if (watchThread != null) {
            watchThread.start();
        }
        LOG.debug("schema validation on {} activated with {}", this.directory, schemaIds());
    }

    private static Path directoryOf(final String dir) {
        if (dir == null || dir.isBlank() || !Path.of(dir).isAbsolute()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "directory=" + dir + " must be an absolute path");
        }
        return Path.of(dir);
    }

    private static long range(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, name + "=" + value + " outside [" + min + ", " + max + "]");
        }
        return value;
    }

    private static Thread daemon(final Runnable r, final String name) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void watchLoop() {
        try {
            while (true) {
                final WatchKey key = watcher.take();
                key.pollEvents(); // which file changed does not matter: the fingerprint decides
                final boolean valid = key.reset();
                try {
                    scanner.execute(this::rescanQuietly);
                } catch (RejectedExecutionException e) {
                    return; // deactivating
                }
                if (!valid) {
                    LOG.warn("schema directory {} is no longer watched (removed?); relying on the rescan", directory);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // deactivating
        }
    }

    /**
     * Reloads the schemas when the directory's files changed. Runs on the scan thread (or the caller's in tests).
     *
     * @return true when a new set of schemas was loaded
     */
    boolean rescan() {
        final Map<String, String> now;
        try {
            now = SchemaSet.fingerprint(directory);
        } catch (IOException e) {
            LOG.error("cannot list schema directory {}; keeping the schemas loaded before: {}", directory, e.toString());
            return false;
        }
        if (schemas.sameFiles(now)) {
            return false;
        }
        final SchemaSet loaded = SchemaSet.load(directory, now, loader, reader);
        loaded.entries().forEach((id, e) -> {
            if (e.error() != null) {
                LOG.error("schema {} not usable, payloads for it are rejected: {}", id, e.error());
            }
        });
        schemas = loaded;
        LOG.debug("schemas loaded from {}: {}", directory, loaded.entries().keySet());
        return true;
    }

    private void rescanQuietly() {
        try {
            rescan();
        } catch (RuntimeException e) {
            LOG.error("schema directory rescan failed", e);
        }
    }

    @Override
    public boolean hasSchema(final String schemaId) {
        return schemas.entries().containsKey(schemaId);
    }

    @Override
    public Set<String> schemaIds() {
        return schemas.entries().keySet();
    }

    @Override
    public void validate(final String schemaId, final ByteBuffer json) {
        final SchemaSet.Entry entry = schemas.entries().get(schemaId);
        if (entry == null) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "no schema '" + schemaId + "' in " + directory);
        }
        if (entry.error() != null) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "schema '" + schemaId + "' is not usable: " + entry.error());
        }
        final JsonNode node = parse(schemaId, json);
        final List<Error> errors;
        try {
            errors = entry.schema().validate(node);
        } catch (RuntimeException e) { // e.g. a $ref that could not be resolved (remote refs are refused)
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "schema '" + schemaId + "' is not usable: "
                    + e.getMessage(), e);
        }
        if (!errors.isEmpty()) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, describe(schemaId, errors));
        }
    }

    private JsonNode parse(final String schemaId, final ByteBuffer json) {
        final int length = json.remaining();
        if (length > maxPayloadBytes) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload for schema '" + schemaId + "' has " + length
                    + " bytes, more than maxPayloadBytes=" + maxPayloadBytes);
        }
        try {
            if (json.hasArray()) {
                return reader.readTree(json.array(), json.arrayOffset() + json.position(), length);
            }
            final byte[] copy = new byte[length];
            json.duplicate().get(copy);
            return reader.readTree(copy);
        } catch (JacksonException e) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload for schema '" + schemaId + "' is not JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload for schema '" + schemaId + "' is not JSON", e);
        }
    }

    /** "schema 'x': $.a.b: message; $.c: message (and N more)"; messages name schema rules, not payload values. */
    private String describe(final String schemaId, final List<Error> errors) {
        final StringBuilder sb = new StringBuilder("payload does not match schema '").append(schemaId).append("': ");
        final int shown = Math.min(errors.size(), maxReportedErrors);
        for (int i = 0; i < shown; i++) {
            final Error e = errors.get(i);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(e.getInstanceLocation()).append(' ').append(e.getKeyword()).append(": ").append(e.getMessage());
        }
        if (errors.size() > shown) {
            sb.append(" (and ").append(errors.size() - shown).append(" more)");
        }
        return sb.toString();
    }

    @Deactivate
    void close() {
        if (scanner == null) {
            return;
        }
        closeQuietly(watcher);
        scanner.shutdownNow();
        try {
            if (watchThread != null) {
                watchThread.join(5000);
            }
            scanner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("schema validation on {} deactivated", directory);
    }

    private static void closeQuietly(final WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
