/**
 * The PKCS#12 keyring: {@link org.eipc.keyring.pkcs12.impl.Pkcs12Keyring}, secret-key entries of a private key
 * store, reloaded when the file changes. Not exported.
 */
package org.eipc.keyring.pkcs12.impl;
