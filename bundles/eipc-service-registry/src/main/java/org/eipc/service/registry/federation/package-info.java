/**
 * Federation SPI: how the registry shares its entries with registries on other hosts. A federation provider (the
 * NATS transport bundle's {@code NatsRegistryFederation}, for one) registers a
 * {@link org.eipc.service.registry.federation.RegistryFederation} service; the registry binds every such service,
 * announces its local entries to each, and merges the remote entries each one knows into its lookups.
 */
@Export
@Version("1.0.0")
package org.eipc.service.registry.federation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
