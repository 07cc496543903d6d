package org.eipc.security.hmac.impl;

import java.util.Arrays;

import javax.crypto.SecretKey;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.security.IntegrityProvider;
import org.osgi.service.component.annotations.Component;

/**
 * HMAC-SHA256 over {@code preamble ‖ header ‖ payload}, the frame MAC of the EIPC reference (protocol §2.3).
 *
 * <p>The reference uses the raw shared secret bytes as the HMAC key, whatever their length (an
 * {@code EIPC_KEY_FILE} with a trailing newline included), so any non-empty key is accepted here too; HMAC
 * itself hashes keys longer than the block size and pads shorter ones.
 *
 * <p>Public with a public no-arg constructor on purpose: besides being the DS component, the {@code eipc decode}
 * command instantiates it directly on a flat class path. Stateless and thread-safe; every {@link FrameMac} it
 * creates owns its own digests ({@link HmacFrameMac}: allocation-free, unlike {@code javax.crypto.Mac}).
 */
@Component(service = IntegrityProvider.class,
        property = IntegrityProvider.PROP_ALGORITHM + "=" + HmacSha256Provider.ALGORITHM)
public final class HmacSha256Provider implements IntegrityProvider {

    /** The value of {@link IntegrityProvider#PROP_ALGORITHM}. */
    public static final String ALGORITHM = "HMAC-SHA256";

    /** MAC length in bytes. */
    public static final int MAC_LENGTH = 32;

    /** The JCA name of the same algorithm (the tests compare {@link HmacFrameMac} with it). */
    static final String JCA_ALGORITHM = "HmacSHA256";

    /** Creates the provider; it has no configuration. */
    public HmacSha256Provider() {
        // nothing to configure: the algorithm is fixed and keys come with each newMac call
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public int macLength() {
        return MAC_LENGTH;
    }

    @Override
    public FrameMac newMac(KeyEntry key) {
        if (key == null) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "no key given for " + ALGORITHM);
        }
        SecretKey secret = key.key();
        byte[] raw = secret.getEncoded();
        try {
            // The reference MACs with the raw secret bytes, so a key without a raw encoding (a non-extractable
            // hardware key) cannot be wire compatible, and an empty one gives no integrity at all.
            if (raw == null || raw.length == 0) {
                throw new IpcException(ErrorCode.CONFIG_INVALID,
                        "key '" + key.id() + "' has no raw bytes; " + ALGORITHM + " needs a non-empty secret");
            }
            return new HmacFrameMac(raw, key.id());
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return "HmacSha256Provider[" + ALGORITHM + "]";
    }
}
