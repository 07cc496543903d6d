package org.eipc.transport.tcp.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** The TLS 1.3 context of a transport, built once from configuration. Passwords are not kept. */
final class TlsSetup {
    enum ClientAuth { NONE, WANT, NEED }

    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private final SSLContext context;
    private final boolean hasKey;
    private final ClientAuth clientAuth;
    private final boolean verifyHostname;

    TlsSetup(String keyStore, char[] keyStorePassword, String trustStore, char[] trustStorePassword,
            String clientAuth, boolean verifyHostname) {
        try {
            this.clientAuth = ClientAuth.valueOf(clientAuth.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "tls.clientAuth must be none, want or need, not '"
                    + clientAuth + "'");
        }
        this.verifyHostname = verifyHostname;
        try {
            KeyManagerFactory kmf = null;
            if (!keyStore.isEmpty()) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore, keyStorePassword, "tls.keyStore"), keyStorePassword);
            }
            TrustManagerFactory tmf = null;
            if (!trustStore.isEmpty()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore, trustStorePassword, "tls.trustStore"));
            }
            context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    null);
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "TLS setup failed: " + e.getMessage(), e);
        }
        this.hasKey = !keyStore.isEmpty();
    }

    private static KeyStore load(String path, char[] password, String what) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            // the message names the file, never the password
            throw new IpcException(ErrorCode.CONFIG_INVALID, what + " " + path + " cannot be read: " + e.getMessage(),
                    e);
        }
    }

    SSLEngine serverEngine() {
        if (!hasKey) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "tls:// listener needs tls.keyStore");
        }
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        if (clientAuth == ClientAuth.NEED) {
            p.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.WANT) {
            p.setWantClientAuth(true);
        }
        e.setSSLParameters(p);
        return e;
    }

    SSLEngine clientEngine(String host, int port) {
        SSLEngine e = context.createSSLEngine(host, port);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        if (verifyHostname) {
            // RFC 2818 rules: the certificate's subjectAltName must name the host or IP we dialled
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        e.setSSLParameters(p);
        return e;
    }
}
