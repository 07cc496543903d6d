package org.eipc.service.trace.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "EIPC session recorder",
        description = "Records the application messages of chosen sessions to JSON Lines files that 'eipc replay'"
                + " plays back")
@interface RecorderConfig {

    @AttributeDefinition(description = "Absolute path of the directory for recordings; created 0700 when missing."
            + " Each recorded session is one file <start>-<peer>-<session>.jsonl, created 0600")
    String directory();

    @AttributeDefinition(description = "Java regular expression the peer's authenticated service id must match"
            + " (whole id) for its sessions to be recorded")
    String peerPattern() default ".*";

    @AttributeDefinition(description = "Which sessions: those this process accepted, those it opened, or both",
            options = {@Option(value = "server", label = "server"), @Option(value = "client", label = "client"),
                @Option(value = "both", label = "both")})
    String side() default "both";

    @AttributeDefinition(min = "4096", description = "Largest recording file in bytes; a session that would exceed"
            + " it ends its file with reason 'maxFileBytes' and is not recorded further")
    long maxFileBytes() default 64L << 20;

    @AttributeDefinition(min = "0", description = "Recording files kept in the directory; the oldest are deleted"
            + " when a new one starts. 0 keeps all")
    int maxFiles() default 100;

    @AttributeDefinition(min = "1", max = "1048576", description = "Messages that may wait for the writer thread;"
            + " when full, messages are dropped, counted and noted in the file instead of blocking the session")
    int queueCapacity() default 8192;

    @AttributeDefinition(min = "1", max = "65536", description = "Sessions recorded at the same time; later ones are"
            + " not recorded until one ends")
    int maxSessions() default 64;
}
