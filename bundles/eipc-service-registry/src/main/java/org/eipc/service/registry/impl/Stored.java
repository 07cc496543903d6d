package org.eipc.service.registry.impl;

import org.eipc.service.registry.ServiceEntry;

/** An entry in the store under its registration id (ids grow, so they also give the registration order). */
final class Stored {
    final long id;
    final ServiceEntry entry;

    Stored(long id, ServiceEntry entry) {
        this.id = id;
        this.entry = entry;
    }
}
