package org.eipc.runtime.impl;

import org.eipc.api.IpcException;

/** The endpoint a session belongs to: told when the session loses its carrier and when it closes. */
interface SessionOwner {
    /** The carrier is gone and the session (hardened) waits for a new one. */
    void carrierLost(SessionImpl session, IpcException cause);

    /**
     * The peer (a server whose transport is leaving) asks the session to move to another connection while the
     * current one still works. Called on an I/O thread with the session's receive lock held: do not block.
     */
    default void moveRequested(SessionImpl session) {
    }

    /** The session is closed for good. */
    void sessionClosed(SessionImpl session, IpcException cause);

    /** The endpoint's name for hooks and events: its first address. */
    String label();

    /** True for a server endpoint (it accepted the session). */
    boolean serverSide();
}
