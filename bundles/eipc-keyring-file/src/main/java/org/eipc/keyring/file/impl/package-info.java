/**
 * The directory keyring: {@link org.eipc.keyring.file.impl.FileKeyring}, one private file per key, followed
 * while running. Not exported.
 */
package org.eipc.keyring.file.impl;
