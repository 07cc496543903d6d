/**
 * The programmatic face of the EIPC runtime: {@link org.eipc.runtime.EipcRuntime} opens server endpoints and
 * client sessions without ConfigAdmin. Inside OSGi it is a service registered by the runtime bundle; on a flat
 * class path (the command line, tests) {@link org.eipc.runtime.EipcRuntimes#standalone} builds one from provider
 * instances.
 */
@Export
@Version("1.2.0")
package org.eipc.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
