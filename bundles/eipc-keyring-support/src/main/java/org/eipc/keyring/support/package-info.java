/**
 * Key rotation shared by the keyring bundles: which key is current and which earlier keys are still accepted
 * during their overlap window. Embedded privately into each keyring bundle (bnd {@code -conditionalpackage});
 * never exported.
 */
package org.eipc.keyring.support;
