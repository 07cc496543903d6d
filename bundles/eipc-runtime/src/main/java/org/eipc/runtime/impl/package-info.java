/**
 * The EIPC runtime: endpoints, sessions, the reference-compatible and hardened handshakes, acknowledgements and
 * resume. Private: applications use {@code org.eipc.api}; providers are reached through {@code org.eipc.spi}.
 */
package org.eipc.runtime.impl;
