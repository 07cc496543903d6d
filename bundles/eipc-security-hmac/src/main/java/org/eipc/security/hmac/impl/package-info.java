/**
 * HMAC-SHA256 frame integrity: the {@link org.eipc.security.hmac.impl.HmacSha256Provider} service and the
 * per-key {@link org.eipc.spi.security.FrameMac} it hands out. Not exported.
 */
package org.eipc.security.hmac.impl;
