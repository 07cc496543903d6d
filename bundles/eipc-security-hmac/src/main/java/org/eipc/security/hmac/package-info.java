/**
 * Key derivation for EIPC: {@link org.eipc.security.hmac.Hkdf}, HKDF-SHA256 (RFC 5869), which the hardened
 * handshake uses to derive per-session keys from a long-term secret.
 */
@Export
@Version("1.0.0")
package org.eipc.security.hmac;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
