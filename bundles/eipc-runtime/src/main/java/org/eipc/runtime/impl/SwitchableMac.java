package org.eipc.runtime.impl;

import java.nio.ByteBuffer;

import org.eipc.spi.security.FrameMac;

/**
 * The verifier a connection's {@link org.eipc.protocol.StreamDecoder} holds. The key changes during a connection's
 * life (handshake key, then the session's receive key), and the decoder calls the listener synchronously frame by
 * frame, so switching the delegate inside the listener takes effect from the next frame on. Confined to the
 * connection's I/O thread.
 */
final class SwitchableMac implements FrameMac {
    private FrameMac delegate;

    SwitchableMac(FrameMac initial) {
        this.delegate = initial;
    }

    void switchTo(FrameMac next) {
        this.delegate = next;
    }

    FrameMac current() {
        return delegate;
    }

    @Override
    public int length() {
        return delegate.length();
    }

    @Override
    public void sign(ByteBuffer data, ByteBuffer out) {
        delegate.sign(data, out);
    }

    @Override
    public boolean verify(ByteBuffer data, ByteBuffer mac) {
        return delegate.verify(data, mac);
    }

    @Override
    public String keyId() {
        return delegate.keyId();
    }

    @Override
    public String toString() {
        return "SwitchableMac[" + delegate.keyId() + "]";
    }
}
