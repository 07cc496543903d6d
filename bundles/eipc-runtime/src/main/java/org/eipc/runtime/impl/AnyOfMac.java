package org.eipc.runtime.impl;

import java.nio.ByteBuffer;
import java.util.List;

import org.eipc.spi.security.FrameMac;

/**
 * Verifies under any of several keys (the keyring's accepted keys during a rotation overlap) and remembers which
 * one matched, so a handshake learns the peer's key from the first frame's MAC. Signs with the first key.
 */
final class AnyOfMac implements FrameMac {
    private final List<FrameMac> macs;
    private FrameMac matched;
    private int matchedIndex = -1;

    AnyOfMac(List<FrameMac> macs) {
        if (macs.isEmpty()) {
            throw new IllegalArgumentException("no keys");
        }
        this.macs = List.copyOf(macs);
    }

    /** The MAC that verified the last frame, or null. */
    FrameMac matched() {
        return matched;
    }

    /** Index (in the list given) of the MAC that verified the last frame, or -1. */
    int matchedIndex() {
        return matchedIndex;
    }

    @Override
    public int length() {
        return macs.get(0).length();
    }

    @Override
    public void sign(ByteBuffer data, ByteBuffer out) {
        macs.get(0).sign(data, out);
    }

    @Override
    public boolean verify(ByteBuffer data, ByteBuffer mac) {
        for (int i = 0; i < macs.size(); i++) {
            FrameMac m = macs.get(i);
            if (m.verify(data, mac)) {
                matched = m;
                matchedIndex = i;
                return true;
            }
        }
        matched = null;
        matchedIndex = -1;
        return false;
    }

    @Override
    public String keyId() {
        return macs.get(0).keyId();
    }
}
