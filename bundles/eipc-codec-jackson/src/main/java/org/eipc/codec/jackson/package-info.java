/**
 * Hardened Jackson encode/decode shared by the codec bundles: limits checked before parsing, one error shape
 * ({@code CODEC_ERROR}, "name: cannot ..."). Embedded privately into each codec bundle (bnd
 * {@code -conditionalpackage}); never exported.
 */
package org.eipc.codec.jackson;
