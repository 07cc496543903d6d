package org.eipc.transport.nats.impl;

/** Short timers so failure detection in tests takes well under a second or two, and the tests' one key. */
final class TestSettings {
    private TestSettings() {
    }

    /** One static test key (never a real secret). */
    static org.eipc.runtime.FixedKeyring keyring() {
        return new org.eipc.runtime.FixedKeyring("k1",
                "nats-transport-test-key-32-bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static NatsSettings fast() {
        return new NatsSettings(4L << 20, 1 << 20, 10, 200, 1500);
    }
}
