package org.eipc.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import org.eipc.keyring.support.KeyFileFormat;
import org.eipc.launcher.decode.KeyOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eipc keygen}: a random HMAC key. With {@code --out} the key goes only into a new file created owner-only
 * (0600 from the start, never chmod-ed afterwards) and stdout gets its id and fingerprint; without, the key itself is
 * the result on stdout. The key file holds exactly the bytes {@code --key-file} reads as the key, so the
 * fingerprint is the {@code key_id} that {@code eipc info} shows.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generate a random HMAC key.",
            "With --out FILE the key is written to a new owner-only (0600) file and only its id and fingerprint "
                    + "(first 8 bytes of SHA-256, hex) are printed. Exit 1 when the file exists or cannot be "
                    + "created."})
final class KeygenCommand implements Callable<Integer> {
    enum Format { raw, hex, base64 }

    private static final int MIN_BYTES = 16;
    private static final int MAX_BYTES = 1024;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the key to this new file (mode 0600).")
    Path out;

    @Option(names = "--bytes", defaultValue = "32", description = "Random bytes (16 to 1024; default 32).")
    int bytes;

    @Option(names = "--format", defaultValue = "hex",
            description = "hex (default), base64 or raw: how the key is printed, or written to --out (as hex:/base64: "
                    + "text or raw bytes, the format --key-file and the file keyring read).")
    Format format;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new UsageException("--bytes must be between " + MIN_BYTES + " and " + MAX_BYTES);
        }
        if (format == Format.raw && out == null) {
            throw new UsageException("--format raw needs --out (binary keys are not printed)");
        }
        byte[] raw = random();
        // printed, the key is its text (EIPC_HMAC_KEY takes the text's bytes, as the reference does); in a file,
        // it is the random bytes, written in the key-file format (hex:/base64: text, or raw) that --key-file and
        // the file keyring read back to the same bytes
        byte[] key = out == null ? text(raw) : fileContent(raw);
        try {
            String fingerprint = KeyOptions.fingerprint(out == null ? key : raw);
            if (out == null) {
                // the key is the result the user asked for; its fingerprint is a log line
                System.err.println("eipc keygen: fingerprint " + fingerprint);
                if (json) {
                    System.out.println(Json.createObjectBuilder().add("key", new String(key, StandardCharsets.US_ASCII))
                            .add("format", format.name()).add("bytes", bytes).add("fingerprint", fingerprint).build());
                } else {
                    System.out.println(new String(key, StandardCharsets.US_ASCII));
                }
                return ExitCodes.SUCCESS;
            }
            try {
                write(out, key);
            } catch (FileAlreadyExistsException e) {
                System.err.println("eipc keygen: " + out + " exists; not overwritten");
                return ExitCodes.FAILURE;
            } catch (IOException | UnsupportedOperationException e) {
                System.err.println("eipc keygen: cannot create " + out + ": " + e);
                return ExitCodes.FAILURE;
            }
            String id = out.getFileName().toString();
            if (json) {
                JsonObjectBuilder b = Json.createObjectBuilder().add("key_id", id).add("file", out.toString())
                        .add("format", format.name()).add("bytes", bytes).add("fingerprint", fingerprint);
                System.out.println(b.build());
            } else {
                System.out.println(id + " " + fingerprint);
            }
            return ExitCodes.SUCCESS;
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(raw, (byte) 0);
        }
    }

    private byte[] random() {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** The key as printed text: hex or Base64 of the random bytes. */
    private byte[] text(byte[] raw) {
        return format == Format.base64 ? Base64.getEncoder().encode(raw)
                : HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
    }

    /** The key file's content in the key-file format ({@link KeyFileFormat}). */
    private byte[] fileContent(byte[] raw) {
        return switch (format) {
            case raw -> raw.clone();
            case hex -> KeyFileFormat.hexFile(raw);
            case base64 -> KeyFileFormat.base64File(raw);
        };
    }

    /** Creates the file owner-only (it must not exist) and writes the key file's content. */
    private void write(Path file, byte[] key) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(key);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
