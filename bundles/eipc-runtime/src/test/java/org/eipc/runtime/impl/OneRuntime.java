package org.eipc.runtime.impl;

import org.junit.jupiter.api.AfterEach;

/**
 * One runtime for a test whose server and client share it (its providers, transports, timer and delivery pool);
 * closed after each test. {@link TwoRuntimes} keeps the two sides apart.
 */
abstract class OneRuntime {
    final Harness h = new Harness();

    @AfterEach
    void closeRuntime() {
        h.close();
    }
}
