package org.eipc.schema.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC JSON Schema validation",
        description = "JSON Schema 2020-12 validation of payloads; schemas are the files <id>.json of a directory,"
                + " reloaded when they change; remote $refs are never fetched")
@interface SchemaServiceConfig {

    @AttributeDefinition(description = "Absolute path of the schema directory; the file <id>.json holds schema"
            + " <id> (intent.json -> intent, channel-2.json -> channel-2)")
    String directory();

    @AttributeDefinition(min = "1", max = "3600", description = "Seconds between full rescans of the directory,"
            + " a fallback for file systems where change notification misses events")
    long rescanSeconds() default 10;

    @AttributeDefinition(min = "16", description = "Largest payload in bytes that is validated; larger payloads"
            + " are rejected (SCHEMA_INVALID) without parsing")
    int maxPayloadBytes() default 1 << 20;

    @AttributeDefinition(min = "1", max = "1000", description = "Deepest nesting of arrays and objects accepted"
            + " in a payload or schema")
    int maxNestingDepth() default 64;

    @AttributeDefinition(min = "16", description = "Largest schema file in bytes; larger files are not loaded")
    int maxSchemaBytes() default 1 << 20;

    @AttributeDefinition(min = "1", max = "100", description = "Most failures named in one SCHEMA_INVALID message")
    int maxReportedErrors() default 10;
}
