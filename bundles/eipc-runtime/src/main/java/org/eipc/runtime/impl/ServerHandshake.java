package org.eipc.runtime.impl;

import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;
import org.eipc.spi.keyring.KeyEntry;

/** The server side of a handshake on one accepted connection. */
abstract class ServerHandshake implements FrameSink {
    final ServerEndpointImpl endpoint;
    final AnyOfMac helloVerifier;
    final List<KeyEntry> keys; // parallel to the verifier's MACs
    volatile boolean done;
    private boolean failed;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    ServerHandshake(ServerEndpointImpl endpoint, AnyOfMac helloVerifier, List<KeyEntry> keys) {
        this.endpoint = endpoint;
        this.helloVerifier = helloVerifier;
        this.keys = keys;
    }

    abstract void step(Carrier c, Frame f);

    /** Sends a denial and closes after it. */
    abstract void deny(Carrier c, ErrorCode code, String text);

    /** The first frame did not verify under any accepted key. */
    abstract void denyUnverified(Carrier c, IpcException cause);

    KeyEntry matchedKey() {
        int i = helloVerifier.matchedIndex();
        if (i < 0) {
            throw new IpcException(ErrorCode.INTERNAL, "no key matched the verified frame");
        }
        return keys.get(i);
    }

    @Override
    public final void onFrame(Carrier c, Frame f) {
        if (failed) {
            return;
        }
        try {
            step(c, f);
        } catch (IpcException e) {
            if (e.code().category() == ErrorCode.Category.SECURITY && e.code() != ErrorCode.REPLAY_DUPLICATE) {
                deny(c, e.code(), e.getMessage());
            } else {
                finish(c, e);
            }
        }
    }

    /** Releases what the handshake holds in the endpoint (issued nonces); called once it ends either way. */
    void release() {
    }

    /** The handshake succeeded: the connection now carries a session. */
    void succeeded() {
        done = true;
        ended();
    }

    /** Frees this handshake's place among the endpoint's pending handshakes, once. */
    private void ended() {
        if (ended.compareAndSet(false, true)) {
            endpoint.handshakeEnded();
        }
    }

    void finish(Carrier c, IpcException cause) {
        failed = true;
        release();
        ended();
        endpoint.handshakeFailed(cause);
        c.closeAfterFlush(cause);
    }

    @Override
    public void onDecodeFailure(Carrier c, IpcException cause) {
        if (!failed) {
            if (cause.code() == ErrorCode.MAC_INVALID) {
                denyUnverified(c, new IpcException(ErrorCode.AUTH_FAILED,
                        "first frame does not verify under any accepted key", cause));
            } else {
                finish(c, cause);
            }
        }
    }

    @Override
    public void onClosed(Carrier c, IpcException cause) {
        release();
        ended();
        if (!done && !failed) {
            failed = true;
            endpoint.handshakeFailed(cause != null ? cause
                    : new IpcException(ErrorCode.CONNECTION_CLOSED, "closed during the handshake"));
        }
    }

    /** Called by the deadline timer. */
    void timeout(Carrier c) {
        if (!done && !failed) {
            finish(c, new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "handshake not finished in time"));
            c.close(new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "handshake not finished in time"));
        }
    }
}
