/**
 * JSON Schema (2020-12) validation of JSON payloads, per service or channel: {@link org.eipc.schema.SchemaValidator}.
 *
 * <p>Schema ids come from file names in the configured schema directory: the file {@code <id>.json} holds the
 * schema with id {@code <id>} (for example {@code intent.json} → {@code intent}, {@code channel-2.json} →
 * {@code channel-2}). Ids are {@code [A-Za-z0-9][A-Za-z0-9._-]*}; other files and sub-directories are ignored.
 * By convention a service's payload schema is named after the service id and an ipcprims channel's after
 * {@code channel-N}.
 */
@Export
@Version("1.0.0")
package org.eipc.schema;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
