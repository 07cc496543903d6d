package org.eipc.transport.nats.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

import io.nats.client.AuthHandler;
import io.nats.client.Options;

/**
 * How the NATS client connects: timers, buffers, TLS and authentication, from the configuration. Secrets stay
 * in {@code char[]} (or, for a credentials file, a {@code PrivateKey}) and appear in no message or
 * {@code toString}.
 */
final class NatsClientOptions {
    private final long reconnectWaitMillis;
    private final long pingIntervalMillis;
    private final long pendingMessages;
    private final long pendingBytes;
    private final String user;
    private final char[] password;
    private final char[] token;
    private final AuthHandler creds;
    private final SSLContext tls;

    NatsClientOptions(long reconnectWaitMillis, long pingIntervalMillis, long pendingMessages, long pendingBytes,
            String user, char[] password, char[] token, AuthHandler creds, SSLContext tls) {
        StringBuilder bad = new StringBuilder();
        if (reconnectWaitMillis < 1 || reconnectWaitMillis > 600_000) {
            bad.append(" reconnectWaitMillis=").append(reconnectWaitMillis).append(" outside [1, 600000];");
        }
        if (pingIntervalMillis < 100 || pingIntervalMillis > 3_600_000) {
            bad.append(" pingIntervalMillis=").append(pingIntervalMillis).append(" outside [100, 3600000];");
        }
        if (pendingMessages < 1024 || pendingBytes < (1 << 20)) {
            bad.append(" pendingMessagesLimit/pendingBytesLimit below 1024 messages / 1 MiB;");
        }
        int auths = (user.isEmpty() ? 0 : 1) + (token.length == 0 ? 0 : 1) + (creds == null ? 0 : 1);
        if (auths > 1) {
            bad.append(" configure one of user/.password, .token and credentialsFile;");
        }
        if (user.isEmpty() && password.length > 0) {
            bad.append(" .password without user;");
        }
        if (bad.length() > 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "invalid NATS transport configuration:" + bad);
        }
        this.reconnectWaitMillis = reconnectWaitMillis;
        this.pingIntervalMillis = pingIntervalMillis;
        this.pendingMessages = pendingMessages;
        this.pendingBytes = pendingBytes;
        this.user = user;
        this.password = password;
        this.token = token;
        this.creds = creds;
        this.tls = tls;
    }

    static NatsClientOptions defaults() {
        return new NatsClientOptions(NatsTransport.DEFAULT_RECONNECT_WAIT_MILLIS,
                NatsTransport.DEFAULT_PING_INTERVAL_MILLIS, NatsTransport.DEFAULT_PENDING_MESSAGES,
                NatsTransport.DEFAULT_PENDING_BYTES, "", new char[0], new char[0], null, null);
    }

    static NatsClientOptions from(NatsTransportConfig c) {
        return of(c.reconnectWaitMillis(), c.pingIntervalMillis(), c.pendingMessagesLimit(), c.pendingBytesLimit(),
                c.user(), c._password(), c._token(), c.credentialsFile(), c.tls_enabled(), c.tls_keyStore(),
                c._tls_keyStorePassword(), c.tls_trustStore(), c._tls_trustStorePassword());
    }

    /** The registry federation's client: the same keys as the transport's, its own PID. */
    static NatsClientOptions from(FederationConfig c) {
        return of(c.reconnectWaitMillis(), NatsTransport.DEFAULT_PING_INTERVAL_MILLIS,
                NatsTransport.DEFAULT_PENDING_MESSAGES, NatsTransport.DEFAULT_PENDING_BYTES, c.user(), c._password(),
                c._token(), c.credentialsFile(), c.tls_enabled(), c.tls_keyStore(), c._tls_keyStorePassword(),
                c.tls_trustStore(), c._tls_trustStorePassword());
    }

    /** The durable channels' client: the same keys as the transport's, its own PID. */
    static NatsClientOptions from(DurableConfig c) {
        return of(c.reconnectWaitMillis(), NatsTransport.DEFAULT_PING_INTERVAL_MILLIS,
                NatsTransport.DEFAULT_PENDING_MESSAGES, NatsTransport.DEFAULT_PENDING_BYTES, c.user(), c._password(),
                c._token(), c.credentialsFile(), c.tls_enabled(), c.tls_keyStore(), c._tls_keyStorePassword(),
                c.tls_trustStore(), c._tls_trustStorePassword());
    }

    private static NatsClientOptions of(long reconnectWaitMillis, long pingIntervalMillis, long pendingMessages,
            long pendingBytes, String user, String password, String token, String credentialsFile, boolean tlsEnabled,
            String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {
        AuthHandler creds = credentialsFile.isEmpty() ? null : CredsAuth.fromFile(Path.of(credentialsFile));
        SSLContext tls = null;
        if (tlsEnabled) {
            tls = sslContext(keyStore, keyStorePassword.toCharArray(), trustStore, trustStorePassword.toCharArray());
        } else if (!keyStore.isEmpty() || !trustStore.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "tls.keyStore/tls.trustStore set but tls.enabled=false");
        }
        return new NatsClientOptions(reconnectWaitMillis, pingIntervalMillis, pendingMessages, pendingBytes, user,
                password.toCharArray(), token.toCharArray(), creds, tls);
    }

    static SSLContext sslContext(String keyStore, char[] keyStorePassword, String trustStore,
            char[] trustStorePassword) {
        try {
            KeyManagerFactory kmf = null;
            if (!keyStore.isEmpty()) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore, keyStorePassword, "key store"), keyStorePassword);
            }
            TrustManagerFactory tmf = null;
            if (!trustStore.isEmpty()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore, trustStorePassword, "trust store"));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "NATS TLS set-up failed: " + e.getClass().getSimpleName());
        } finally {
            java.util.Arrays.fill(keyStorePassword, '\0');
            java.util.Arrays.fill(trustStorePassword, '\0');
        }
    }

    private static KeyStore load(String path, char[] password, String what) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            // names the file, never the password
            throw new IpcException(ErrorCode.CONFIG_INVALID, "cannot load NATS TLS " + what + " " + path + ": "
                    + e.getClass().getSimpleName());
        }
    }

    long pendingMessages() {
        return pendingMessages;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    Duration connectTimeout() {
        return Duration.ofSeconds(5);
    }

    /** jnats options for one server list. Our own flow control bounds what is queued, so jnats never blocks. */
    Options.Builder builder(List<String> servers, Duration connectTimeout) {
        String scheme = tls == null ? "nats://" : "tls://";
        String[] urls = servers.stream().map(s -> scheme + s).toArray(String[]::new);
        Options.Builder b = new Options.Builder()
                .servers(urls)
                .connectionName("eipc")
                .connectionTimeout(connectTimeout.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                        : connectTimeout)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(reconnectWaitMillis))
                .reconnectJitter(Duration.ofMillis(Math.max(1, reconnectWaitMillis / 5)))
                .pingInterval(Duration.ofMillis(pingIntervalMillis))
                .maxMessagesInOutgoingQueue(Integer.MAX_VALUE)
                .writeQueuePushTimeout(Duration.ofSeconds(1));
        if (tls != null) {
            b.sslContext(tls);
        }
        if (!user.isEmpty()) {
            b.userInfo(user.toCharArray(), password.clone());
        } else if (token.length > 0) {
            b.token(token.clone());
        } else if (creds != null) {
            b.authHandler(creds);
        }
        return b;
    }

    @Override
    public String toString() {
        return "NatsClientOptions[tls=" + (tls != null) + " auth="
                + (!user.isEmpty() ? "user" : token.length > 0 ? "token" : creds != null ? "credentials" : "none")
                + "]";
    }
}
