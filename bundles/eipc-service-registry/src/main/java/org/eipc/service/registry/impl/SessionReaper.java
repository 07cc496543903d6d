package org.eipc.service.registry.impl;

import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.runtime.RuntimeEventListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Removes a session's entries as soon as the runtime reports the session closed (the periodic sweep and the check
 * before every query catch the same sessions later when no runtime publishes events).
 */
@Component(service = RuntimeEventListener.class)
public final class SessionReaper implements RuntimeEventListener {
    private final RegistryCore core;

    @Activate
    public SessionReaper(@Reference(name = "core") RegistryCore core) {
        this.core = core;
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        if (RuntimeEvent.Kind.SESSION_CLOSED == event.kind() && !event.sessionId().isEmpty()) {
            core.removeOwner(RemoteRegistry.owner(event.sessionId()));
        }
    }
}
