package org.eipc.runtime.impl;

import org.junit.jupiter.api.AfterEach;

/**
 * Two runtimes in one test, as two processes would have them: the server's and the client's, each with its own
 * providers, transports, timer and delivery pool, so that taking one side's transport away (or holding one side's
 * threads) leaves the other side alone. Closed after each test, client first.
 */
abstract class TwoRuntimes {
    final Harness serverSide = new Harness();
    final Harness clientSide = new Harness();

    @AfterEach
    void closeRuntimes() {
        clientSide.close();
        serverSide.close();
    }
}
