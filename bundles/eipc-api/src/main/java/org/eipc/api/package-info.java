/**
 * The EIPC application API: messages, message types, priorities, headers, endpoints, sessions and the one
 * failure type, {@link org.eipc.api.IpcException} with its {@link org.eipc.api.ErrorCode}.
 *
 * <p>Applications compile against this package only. Everything a provider bundle implements lives in
 * {@code org.eipc.spi.*}.
 */
@Export
@Version("1.2.0")
package org.eipc.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
