package org.eipc.service.audit.impl;

import org.eipc.api.ErrorCode;
import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditLog;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.runtime.RuntimeEventListener;

/**
 * Writes the runtime's security events to the audit log: sessions created and resumed, failed handshakes, rejected
 * frames, denied messages (capability, policy, schema) and quota refusals, keyring changes and transport swaps.
 * In OSGi the configured {@link FileAuditLog} is itself the {@link RuntimeEventListener} service (so nothing waits on
 * an unconfigured log); a standalone runtime adds this class as a hook. Never blocks: {@link AuditLog#record} only
 * queues.
 *
 * <p>Latency budget misses and ordinary session closes are operational, not security, events and are left to the
 * metrics; a session closed for a security reason is recorded.
 */
public final class RuntimeAuditBridge implements RuntimeEventListener {
    private final AuditLog log;

    public RuntimeAuditBridge(AuditLog log) {
        this.log = log;
    }

    @Override
    public void onEvent(RuntimeEvent e) {
        AuditEvent a = toAudit(e);
        if (a != null) {
            log.record(a);
        }
    }

    /** The audit line for a runtime event, or null for events the audit log does not keep. */
    static AuditEvent toAudit(RuntimeEvent e) {
        AuditEvent.Builder b;
        switch (e.kind()) {
            case SESSION_OPENED:
                b = AuditEvent.builder(AuditEvent.ACTION_HANDSHAKE).decision(AuditEvent.ALLOWED).result("session created");
                break;
            case SESSION_RESUMED:
                b = AuditEvent.builder(AuditEvent.ACTION_HANDSHAKE).decision(AuditEvent.ALLOWED).result("session resumed");
                break;
            case HANDSHAKE_FAILED:
                b = AuditEvent.builder(AuditEvent.ACTION_HANDSHAKE).decision(AuditEvent.DENIED).result(code(e));
                break;
            case FRAME_REJECTED:
            case MESSAGE_DENIED:
            case QUOTA_EXCEEDED:
                b = AuditEvent.builder(AuditEvent.ACTION_DENIAL).decision(AuditEvent.DENIED).result(code(e));
                break;
            case SESSION_CLOSED:
                if (e.code() == null || e.code().category() != ErrorCode.Category.SECURITY) {
                    return null;
                }
                b = AuditEvent.builder(AuditEvent.ACTION_DENIAL).decision(AuditEvent.DENIED).result(code(e));
                break;
            case KEY_CHANGED:
                b = AuditEvent.builder(AuditEvent.ACTION_KEY_ROTATION).result("keyring changed");
                break;
            case TRANSPORT_ADDED:
                b = AuditEvent.builder(AuditEvent.ACTION_BUNDLE_SWAP).result("transport added");
                break;
            case TRANSPORT_REMOVED:
                b = AuditEvent.builder(AuditEvent.ACTION_BUNDLE_SWAP).result("transport removed");
                break;
            default:
                return null;
        }
        b.timestamp(e.timestamp()).source(e.peer() == null ? "" : e.peer().serviceId()).target(e.endpoint())
                .requestId(e.requestId()).detail("event", e.kind().name());
        if (!e.sessionId().isEmpty()) {
            b.detail("session", e.sessionId());
        }
        if (!e.detail().isEmpty()) {
            b.detail("detail", e.detail());
        }
        if (e.peer() != null && e.peer().uid().isPresent()) {
            b.detail("peer_uid", Integer.toString(e.peer().uid().getAsInt()));
        }
        return b.build();
    }

    private static String code(RuntimeEvent e) {
        return e.code() == null ? "" : e.code().name();
    }
}
