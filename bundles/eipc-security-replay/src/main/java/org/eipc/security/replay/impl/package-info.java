/**
 * Replay protection: {@link org.eipc.security.replay.impl.BitmapReplayGuardProvider} and its fixed-size
 * bitmap guards. Not exported.
 */
package org.eipc.security.replay.impl;
