package org.eipc.service.audit.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "EIPC audit log",
        description = "Append-only JSON Lines audit log of security events with a SHA-256 hash chain")
@interface AuditLogConfig {

    @AttributeDefinition(description = "Absolute path of the audit file. Its directory is created (0700) when"
            + " missing; the file and rotated files <file>.NNNNNN are created 0600.")
    String file();

    @AttributeDefinition(min = "4096", description = "Size in bytes after which the file is rotated to"
            + " <file>.NNNNNN and a new file continues the chain")
    long maxFileBytes() default 10L << 20;

    @AttributeDefinition(min = "0", description = "Rotated files to keep, oldest deleted first; 0 keeps all"
            + " (deleting old files does not stop the newer ones from verifying)")
    int keepRotatedFiles() default 0;

    @AttributeDefinition(description = "When to force written lines to the disk", options = {
        @Option(value = "never", label = "never (the operating system decides)"),
        @Option(value = "batch", label = "after each batch the writer drains from the queue"),
        @Option(value = "always", label = "after every line (slowest, loses nothing written)")})
    String fsync() default "batch";

    @AttributeDefinition(min = "1", max = "1048576", description = "Events that may wait for the writer; when"
            + " full, new events are dropped and counted instead of blocking the caller")
    int queueCapacity() default 4096;
}
