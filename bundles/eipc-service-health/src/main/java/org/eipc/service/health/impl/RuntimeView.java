package org.eipc.service.health.impl;

import java.util.List;
import java.util.Map;

import org.eipc.service.health.EndpointStatus;

/** What the runtime's metrics said at one moment, in this bundle's own types. */
record RuntimeView(List<String> schemes, Map<String, Long> counters, List<EndpointStatus> endpoints) {
}
