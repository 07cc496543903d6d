package org.eipc.schema;

import java.nio.ByteBuffer;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Validates JSON payloads against the schemas of a schema directory (see the package comment for how file
 * names become schema ids). Thread-safe; the set of schemas may change at any time when the directory does.
 */
@ProviderType
public interface SchemaValidator {

    /**
     * Validates one JSON document.
     *
     * @param schemaId the schema id, e.g. {@code intent} or {@code channel-2}
     * @param json UTF-8 JSON from position to limit; the buffer's position is not changed
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#SCHEMA_INVALID} when the payload is not
     *         JSON or does not match, naming the failing JSON path(s) (never payload values); also when there is
     *         no schema with that id, or the schema cannot be used (for example it refers to a remote
     *         {@code $ref}, which is never fetched)
     */
    void validate(String schemaId, ByteBuffer json);

    /** Whether a schema file with this id is present (even one that failed to load). */
    boolean hasSchema(String schemaId);

    /** The ids of the schema files present now. */
    Set<String> schemaIds();
}
