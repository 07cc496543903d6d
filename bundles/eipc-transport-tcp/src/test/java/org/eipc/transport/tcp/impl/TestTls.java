package org.eipc.transport.tcp.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates, made at test time with the JDK's keytool (no private key is ever committed): self-signed
 * server and client certificates, and trust stores holding the other side's certificate.
 */
final class TestTls {
    static final String PW = "changeit";

    final Path dir;

    private TestTls(Path dir) {
        this.dir = dir;
    }

    static TlsSetup none() {
        return new TlsSetup("", new char[0], "", new char[0], "none", true);
    }

    /** Generates server, client and stranger key pairs and the trust stores. */
    static TestTls generate(Path dir) throws IOException, InterruptedException {
        TestTls t = new TestTls(dir);
        t.keyPair("server", "CN=eipc-server,O=EIPC Test", "ip:127.0.0.1,dns:localhost");
        t.keyPair("client", "CN=eipc-client,O=EIPC Test", "dns:client");
        t.keyPair("stranger", "CN=stranger,O=Elsewhere", "ip:127.0.0.1,dns:localhost");
        t.export("server");
        t.export("client");
        t.export("stranger");
        t.trust("trust-server", "server");       // what clients trust
        t.trust("trust-client", "client");       // what a mTLS server trusts
        t.trust("trust-stranger", "stranger");   // trusts only an unrelated cert
        return t;
    }

    String path(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private void keyPair(String alias, String dname, String san) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", dname, "-ext", "san=" + san, "-keystore", path(alias), "-storetype", "PKCS12",
                "-storepass", PW, "-keypass", PW);
    }

    private void export(String alias) throws IOException, InterruptedException {
        keytool("-exportcert", "-alias", alias, "-keystore", path(alias), "-storetype", "PKCS12", "-storepass", PW,
                "-file", dir.resolve(alias + ".cer").toString());
    }

    private void trust(String store, String alias) throws IOException, InterruptedException {
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", dir.resolve(alias + ".cer").toString(),
                "-keystore", path(store), "-storetype", "PKCS12", "-storepass", PW);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-Xmx64m");
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("keytool", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool failed: " + cmd + "\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    TlsSetup setup(String keyStore, String trustStore, String clientAuth) {
        return new TlsSetup(keyStore == null ? "" : path(keyStore), PW.toCharArray(),
                trustStore == null ? "" : path(trustStore), PW.toCharArray(), clientAuth, true);
    }
}
