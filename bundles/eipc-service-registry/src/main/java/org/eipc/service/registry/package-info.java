/**
 * The service registry: services register a {@link org.eipc.service.registry.ServiceEntry} (name, semantic
 * {@link org.eipc.service.registry.ServiceVersion}, capabilities, transport URIs, properties) and clients discover
 * them by name or capability through {@link org.eipc.service.registry.ServiceRegistry}, or watch changes with a
 * {@link org.eipc.service.registry.RegistryListener}.
 *
 * <p>Every entry has an owner, set by the registry: the bundle that got the {@code ServiceRegistry} service (the
 * service is bundle-scoped, so when that bundle stops or releases the service its entries and watches go), or the
 * remote session that registered it over EIPC (its entries go when the session closes). Remote peers reach the
 * registry with requests on the header routes {@code registry.register}, {@code registry.unregister},
 * {@code registry.lookup} and {@code registry.find}; the bundle's README has the payloads.
 */
@Export
@Version("1.0.0")
package org.eipc.service.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
