package org.eipc.transport.nats.impl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nats.client.NKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Our JDK Ed25519 signer gives exactly what jnats' own NKey (Bouncy Castle) gives, so BC can stay out. */
class CredsAuthTest {
    @TempDir
    Path dir;

    @Test
    void signsAndNamesThePublicKeyLikeJnats() throws Exception {
        for (int i = 0; i < 5; i++) {
            NKey reference = NKey.createUser(new SecureRandom());
            CredsAuth ours = CredsAuth.fromSeed(null, reference.getSeed());
            byte[] nonce = ("nonce-" + i).getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(reference.sign(nonce), ours.sign(nonce));
            assertEquals(new String(reference.getPublicKey()), new String(ours.getID()));
        }
    }

    @Test
    void readsACredsFileOwnerOnlyAndKeepsTheSeedOutOfToString() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        String seed = new String(user.getSeed());
        String creds = "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.e30.c2ln\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n";
        Path f = dir.resolve("user.creds");
        Files.writeString(f, creds);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        IpcException open = assertThrows(IpcException.class, () -> CredsAuth.fromFile(f));
        assertEquals(ErrorCode.CONFIG_INVALID, open.code());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        CredsAuth a = CredsAuth.fromFile(f);
        assertEquals("eyJ0eXAiOiJKV1QifQ.e30.c2ln", new String(a.getJWT()));
        assertArrayEquals(user.sign(new byte[] {1, 2, 3}), a.sign(new byte[] {1, 2, 3}));
        assertFalse(a.toString().contains(seed));
    }

    @Test
    void rejectsACorruptSeedWithoutEchoingIt() throws Exception {
        char[] bad = NKey.createUser(new SecureRandom()).getSeed();
        bad[10] = bad[10] == 'A' ? 'B' : 'A'; // one character off: the checksum no longer matches
        IpcException e = assertThrows(IpcException.class, () -> CredsAuth.fromSeed(null, bad));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertFalse(e.getMessage().contains(new String(bad, 0, 12)), e.getMessage());
    }
}
