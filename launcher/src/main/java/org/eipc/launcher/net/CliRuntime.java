package org.eipc.launcher.net;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.FixedKeyring;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.transport.Transport;

/**
 * A standalone runtime over the transports of several addresses (a proxy may listen on unix and forward to tcp),
 * with the command's one key. Closed with the command: transports first, as {@code Net} does, so their
 * connections end while the runtime's timers still run.
 */
public final class CliRuntime implements AutoCloseable {
    private final Transports transports = new Transports();
    private final StandaloneRuntime runtime;
    private final String keyId;

    /**
     * @param key the HMAC key; copied by the keyring, so the caller may wipe it
     * @param keyId the key's id (file name or fingerprint), never the key
     */
    public CliRuntime(List<URI> addresses, byte[] key, String keyId) {
        List<Transport> ts = addresses.stream().map(transports::forAddress).distinct().toList();
        this.keyId = keyId;
        byte[] copy = key.clone();
        try {
            runtime = EipcRuntimes.standalone(ts, new HmacSha256Provider(), new FixedKeyring(keyId, copy));
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
    }

    public EipcRuntime runtime() {
        return runtime;
    }

    /** The id of the key (file name or fingerprint), never the key. */
    public String keyId() {
        return keyId;
    }

    @Override
    public void close() {
        transports.close();
        runtime.close();
    }
}
