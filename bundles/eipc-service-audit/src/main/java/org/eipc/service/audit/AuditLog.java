package org.eipc.service.audit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only audit log of security events. Thread-safe.
 */
@ProviderType
public interface AuditLog {

    /**
     * Queues an event for writing. Never blocks and never throws for a full queue or a failing disk: when the
     * bounded queue is full the event is dropped and counted (and the writer notes the number of dropped events
     * in the log itself as an {@code audit_dropped} event once there is room).
     *
     * @param event the event, not null
     * @return true when queued, false when dropped
     * @throws NullPointerException when event is null
     */
    boolean record(AuditEvent event);

    /** Events dropped so far because the queue was full or the log was closed or could not be written. */
    long droppedCount();
}
