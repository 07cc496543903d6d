package org.eipc.launcher.decode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.keyring.support.KeyFileFormat;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;

import picocli.CommandLine.Option;

/**
 * The HMAC key options of commands that verify frames. At most one may be given; without any, the ASCII text of
 * env {@code EIPC_HMAC_KEY} is the key (the Go reference's convention). Key bytes are never printed.
 */
public final class KeyOptions {
    @Option(names = "--key-ascii", paramLabel = "K", description = "HMAC key: the bytes of this ASCII text.")
    String ascii;

    @Option(names = "--key-hex", paramLabel = "H", description = "HMAC key in hex.")
    String hex;

    @Option(names = "--key-file", paramLabel = "F",
            description = "HMAC key file: hex:<hex> or base64:<b64> text (what eipc keygen and the file keyring use), "
                    + "otherwise its raw bytes, trailing newline included (as the Go reference reads EIPC_KEY_FILE).")
    Path file;

    /**
     * The MAC for the chosen key, or {@code null} when there is none.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} (a usage error) for a malformed or empty key
     */
    public static FrameMac frameMac(KeyOptions options, String envAscii) {
        byte[] key = options != null ? options.bytes() : envAscii != null && !envAscii.isEmpty()
                ? envAscii.getBytes(StandardCharsets.UTF_8) : null;
        if (key == null) {
            return null;
        }
        try {
            if (key.length == 0) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "the HMAC key is empty");
            }
            return new HmacSha256Provider().newMac(
                    new KeyEntry("cli", new SecretKeySpec(key, "HmacSHA256"), Instant.now(), null));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The raw key bytes of the chosen option (or of {@code envAscii}), or {@code null} when there is none. The
     * caller wipes the array after use.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for a malformed or empty key
     */
    public static byte[] keyBytes(KeyOptions options, String envAscii) {
        byte[] key = options != null ? options.bytes() : envAscii != null && !envAscii.isEmpty()
                ? envAscii.getBytes(StandardCharsets.UTF_8) : null;
        if (key != null && key.length == 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "the HMAC key is empty");
        }
        return key;
    }

    /** The key's id for display: the first 8 bytes of its SHA-256, in hex. Never the key. */
    /**
     * The id a key goes by in a handshake: the key file's name when the key came from {@code --key-file} (the file
     * keyring names its keys the same way, so a host and a command sharing a key directory agree), otherwise the
     * key's {@link #fingerprint(byte[]) fingerprint}.
     */
    public static String keyId(KeyOptions options, byte[] key) {
        return options != null && options.file != null ? options.file.getFileName().toString() : fingerprint(key);
    }

    public static String fingerprint(byte[] key) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private byte[] bytes() {
        if (ascii != null) {
            return ascii.getBytes(StandardCharsets.UTF_8);
        }
        if (hex != null) {
            try {
                return HexFormat.of().parseHex(hex.trim());
            } catch (IllegalArgumentException e) {
                // the message of HexFormat may quote the input: do not pass it on
                throw new IpcException(ErrorCode.CONFIG_INVALID, "--key-hex is not valid hex (even number of 0-9a-f)");
            }
        }
        try {
            byte[] b = Files.readAllBytes(file);
            try {
                byte[] key = KeyFileFormat.decode(b);
                if (key == null) {
                    throw new IpcException(ErrorCode.CONFIG_INVALID, "--key-file " + file + " is not valid "
                            + KeyFileFormat.encodingOf(b) + " after its prefix");
                }
                return key;
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "cannot read --key-file " + file + ": " + e.getMessage());
        }
    }
}
