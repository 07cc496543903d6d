package org.eipc.transport.shm.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC shared-memory transport",
        description = "Cross-process transport over memory-mapped rings (URI shm:///abs/path). All values are optional.")
@interface ShmTransportConfig {

    @AttributeDefinition(description = "Bytes of data per direction and connection: a power of two from 4096 to"
            + " 1073741824. Each connection maps two rings of this size (plus 1 KiB of header each). The listener's"
            + " value is used for the connections it accepts.")
    int ringCapacity() default ShmSettings.DEFAULT_RING_CAPACITY;

    @AttributeDefinition(description = "Bytes an offer may queue in memory when the peer's ring is full, per"
            + " connection; more is refused with BACK_PRESSURE. Also bounds the largest single offer (ring + this).")
    long writeQueueLimit() default ShmSettings.DEFAULT_WRITE_QUEUE_LIMIT;

    @AttributeDefinition(description = "Microseconds an idle connection thread busy-spins (Thread.onSpinWait) before"
            + " it yields; spinning buys latency with CPU. 0 disables spinning.")
    int spinMicros() default ShmSettings.DEFAULT_SPIN_MICROS;

    @AttributeDefinition(description = "Microseconds an idle connection thread then yields before it parks on the"
            + " side channel; a parked connection costs no CPU and one side-channel byte to wake.")
    int yieldMicros() default ShmSettings.DEFAULT_YIELD_MICROS;

    @AttributeDefinition(description = "Directory for the ring files; empty means /dev/shm when it exists (memory"
            + " backed), otherwise the directory of the socket. The files are unlinked as soon as both sides mapped"
            + " them.")
    String ringDirectory() default ShmSettings.DEFAULT_RING_DIRECTORY;

    @AttributeDefinition(description = "Milliseconds a listener waits for a connecting client to finish the"
            + " side-channel set-up.")
    int handshakeTimeoutMillis() default ShmSettings.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;

    @AttributeDefinition(description = "Most connections (accepted and connected) open at once; each costs two rings"
            + " and one thread. Further clients are refused.")
    int maxConnections() default ShmSettings.DEFAULT_MAX_CONNECTIONS;

    @AttributeDefinition(description = "Service ranking: higher wins when several transports serve the scheme shm")
    int service_ranking() default 0;
}
