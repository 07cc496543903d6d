/**
 * AEAD payload ciphers: AES-256-GCM in the EIPC reference layout and ChaCha20-Poly1305 in the same layout,
 * with a nonce construction that never repeats among the ciphers of one provider. Not exported.
 */
package org.eipc.security.aesgcm.impl;
