/**
 * Security SPI: frame integrity (MAC), payload ciphers (AEAD) and replay guards, each implemented by its own
 * bundle and tracked dynamically by the runtime.
 *
 * <p>Factories are thread-safe services; what they create ({@link org.eipc.spi.security.FrameMac},
 * {@link org.eipc.spi.security.AeadCipher}, {@link org.eipc.spi.security.ReplayGuard}) holds per-session state,
 * is not thread-safe, and is owned by one session direction.
 */
@Export
@Version("1.0.0")
package org.eipc.spi.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
