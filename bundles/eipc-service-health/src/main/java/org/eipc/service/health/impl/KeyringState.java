package org.eipc.service.health.impl;

/**
 * What one keyring service said when asked for its current key.
 *
 * @param name the keyring's name
 * @param currentKeyId the id of its current key, or null when it has none
 * @param error why it has none, or null
 */
record KeyringState(String name, String currentKeyId, String error) {
}
