/**
 * The registry's implementation: {@link org.eipc.service.registry.impl.RegistryCore} holds the entries (in an
 * {@link org.eipc.service.registry.impl.EntryStore}) and the watches; {@link org.eipc.service.registry.impl.BundleRegistry}
 * is the bundle-scoped {@code ServiceRegistry} each bundle gets; {@link org.eipc.service.registry.impl.RemoteRegistry}
 * serves EIPC peers; {@link org.eipc.service.registry.impl.SessionReaper} drops a closed session's entries. Private.
 */
package org.eipc.service.registry.impl;
