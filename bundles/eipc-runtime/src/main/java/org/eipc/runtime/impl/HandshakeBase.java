package org.eipc.runtime.impl;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;

/** The client side of a handshake: completes {@link #result} with the session or the reason it failed. */
abstract class HandshakeBase implements FrameSink {
    final CompletableFuture<SessionImpl> result = new CompletableFuture<>();
    Carrier carrier;

    void bind(Carrier c) {
        this.carrier = c;
    }

    /** Sends the first frame. */
    abstract void start();

    abstract void step(Carrier c, Frame f);

    @Override
    public final void onFrame(Carrier c, Frame f) {
        if (result.isDone()) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "frame after a failed handshake");
        }
        try {
            step(c, f);
        } catch (IpcException e) {
            fail(e);
            throw e;
        }
    }

    void fail(IpcException e) {
        if (result.completeExceptionally(e) && carrier != null) {
            carrier.close(e);
        }
    }

    @Override
    public void onClosed(Carrier c, IpcException cause) {
        fail(cause != null && cause.code() != ErrorCode.TRANSPORT_IO ? cause
                : new IpcException(ErrorCode.CONNECTION_CLOSED, "connection closed during the handshake", cause));
    }

    @Override
    public void onDecodeFailure(Carrier c, IpcException cause) {
        if (cause.code() == ErrorCode.MAC_INVALID) {
            fail(new IpcException(ErrorCode.AUTH_FAILED, "the peer's frame does not verify under our key", cause));
        } else {
            fail(cause);
        }
    }

    /** A denial frame from the server: {"status":"denied","error":...} (and "code" in hardened mode). */
    static IpcException denial(Map<String, Object> m) {
        String error = FlatJson.optString(m, "error");
        return new IpcException(Handshakes.code(FlatJson.optString(m, "code")),
                "denied by the server: " + (error == null ? "no reason given" : error));
    }
}
