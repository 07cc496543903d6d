package org.eipc.schema.impl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

/**
 * One immutable load of the schema directory: schema id → compiled schema, or the reason it failed to load.
 * A new set is built (with a fresh registry, so no cached document survives) whenever the directory changes.
 */
final class SchemaSet {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String SUFFIX = ".json";

    /** A loaded schema or why it could not be loaded. */
    record Entry(Schema schema, String error) {
    }

    private final Map<String, Entry> entries;
    private final Map<String, String> fingerprint;

    private SchemaSet(final Map<String, Entry> entries, final Map<String, String> fingerprint) {
        this.entries = Collections.unmodifiableMap(entries);
        this.fingerprint = fingerprint;
    }

    static SchemaSet empty() {
        return new SchemaSet(new TreeMap<>(), Map.of());
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** Name, size and modification time of every schema file: a changed fingerprint means reload. */
    static Map<String, String> fingerprint(final Path directory) throws IOException {
        final Map<String, String> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                final String id = idOf(f);
                if (id != null && Files.isRegularFile(f)) {
                    final BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    out.put(id, a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey());
                }
            }
        }
        return out;
    }

    /** The schema id of a file name, or null when the name does not make one. */
    static String idOf(final Path file) {
        final String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        final String id = name.substring(0, name.length() - SUFFIX.length());
        return ID.matcher(id).matches() ? id : null;
    }

    boolean sameFiles(final Map<String, String> current) {
        return fingerprint.equals(current);
    }

    /** Loads every schema file of the directory; a file that fails becomes an entry with its error. */
    static SchemaSet load(final Path directory, final Map<String, String> fingerprint, final LocalFileLoader loader,
            final ObjectMapper reader) {
        final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build())
                        .schemaLoader(l -> l.fetchRemoteResources(false)
                                .allow(loader::isAllowed)
                                .resourceLoaders(r -> r.values(list -> {
                                    list.clear();
                                    list.add(loader);
                                }))));
        final Map<String, Entry> entries = new TreeMap<>();
        for (String id : fingerprint.keySet()) {
            final Path file = directory.resolve(id + SUFFIX);
            try {
                final Schema schema = registry.getSchema(SchemaLocation.of(LocalFileLoader.iriOf(file)),
                        reader.readTree(loader.read(file)));
                schema.initializeValidators();
                entries.put(id, new Entry(schema, null));
            } catch (IOException | RuntimeException e) {
                entries.put(id, new Entry(null, file.getFileName() + ": " + e.getMessage()));
            }
        }
        return new SchemaSet(entries, fingerprint);
    }
}
