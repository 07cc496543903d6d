package org.eipc.schema.impl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.ResourceLoader;

/**
 * The only way schemas reach the validator: {@code file:} IRIs of regular files directly inside the schema
 * directory. Everything else (http, https, other files, the class path) is refused by {@link #isAllowed}, which
 * the schema loader checks before any loader runs, so no remote {@code $ref} is ever fetched.
 */
final class LocalFileLoader implements ResourceLoader {
    private final Path directory;
    private final int maxBytes;

    /** @param directory absolute, normalized */
    LocalFileLoader(final Path directory, final int maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    /** The IRI a schema file is loaded under; relative {@code $ref}s resolve against it. */
    static String iriOf(final Path file) {
        return file.toUri().toString();
    }

    /** Whether the IRI names a file directly inside the schema directory. */
    boolean isAllowed(final AbsoluteIri iri) {
        return fileOf(iri) != null;
    }

    private Path fileOf(final AbsoluteIri iri) {
        final String s = iri.toString();
        if (!s.startsWith("file:")) {
            return null;
        }
        try {
            final URI uri = new URI(s);
            if (uri.getAuthority() != null || uri.getQuery() != null) {
                return null;
            }
            final Path p = Path.of(new URI(uri.getScheme(), null, uri.getPath(), null)).normalize();
            return directory.equals(p.getParent()) ? p : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public InputStreamSource getResource(final AbsoluteIri iri) {
        final Path file = fileOf(iri);
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        return () -> read(file);
    }

    /** Reads one schema file, refusing files larger than the limit. */
    InputStream read(final Path file) throws IOException {
        final long size = Files.size(file);
        if (size > maxBytes) {
            throw new IOException(file.getFileName() + " has " + size + " bytes, more than maxSchemaBytes=" + maxBytes);
        }
        return new ByteArrayInputStream(Files.readAllBytes(file));
    }
}
