package org.eipc.keyring.file.impl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.keyring.support.KeyFileFormat;
import org.eipc.spi.keyring.KeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the keys of one directory.
 *
 * <h2>Files</h2>
 * <ul>
 * <li>File name = key id: 1 to 128 of {@code A-Z a-z 0-9 . _ -}, not starting with a dot. Names starting with a
 * dot and names ending in {@code .tmp} or {@code ~} are ignored silently, so a key can be written to a temporary
 * name and renamed into place atomically (recommended: a half-written file would otherwise be read as a
 * key).</li>
 * <li>Content: {@link KeyFileFormat} ({@code hex:...}, {@code base64:...} or raw bytes, the format
 * {@code eipc keygen} writes and {@code --key-file} reads). Empty keys and files over {@value #MAX_FILE_BYTES} bytes are refused.</li>
 * <li>Created time = the file's last modification time.</li>
 * <li>Symbolic links are followed (Kubernetes secret volumes are links); the target is checked.</li>
 * </ul>
 *
 * <h2>Permissions</h2>
 * The directory and each file must grant nothing to group or others except execute (search) on the
 * directory. A refused file is skipped with a warning naming the file and the reason, never its content.
 * A directory that fails the check yields no keys at all.
 */
final class KeyDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);

    static final int MAX_FILE_BYTES = 8192;
    static final int MAX_FILES = 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Set<PosixFilePermission> GROUP_OTHER_RW = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final Path directory;
    /** Last warning per file name, so a rescan every few seconds does not repeat it. */
    private final Map<String, String> warned = new HashMap<>();

    KeyDirectory(Path directory) {
        this.directory = directory;
    }

    Path path() {
        return directory;
    }

    /**
     * Checks the directory itself.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when it is missing, not a directory, on a file system
     *         without POSIX permissions, or open to group or others
     */
    void checkDirectory() {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(directory, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "key directory " + directory + " is on a file system without POSIX permissions");
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key directory " + directory + " is not readable: " + e, e);
        }
        if (!attrs.isDirectory()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key directory " + directory + " is not a directory");
        }
        Set<PosixFilePermission> open = openTo(attrs.permissions());
        if (!open.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key directory " + directory
                    + " is readable or writable by group or others " + open + "; use chmod 700");
        }
    }

    /**
     * Every acceptable key now in the directory. Problems with single files are logged and the file skipped.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the directory itself fails {@link #checkDirectory()}
     */
    synchronized List<KeyEntry> scan() {
        checkDirectory();
        List<KeyEntry> keys = new ArrayList<>();
        Map<String, String> warnings = new HashMap<>();
        int files = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".tmp") || name.endsWith("~")) {
                    continue;
                }
                if (++files > MAX_FILES) {
                    warnings.put("*", "more than " + MAX_FILES + " files; the rest are ignored");
                    break;
                }
                if (!ID.matcher(name).matches()) {
                    warnings.put(name, "file name is not a valid key id (1-128 of A-Z a-z 0-9 . _ -)");
                    continue;
                }
                try {
                    KeyEntry e = read(p, name, warnings);
                    if (e != null) {
                        keys.add(e);
                    }
                } catch (NoSuchFileException gone) {
                    // removed between listing and reading: simply not there any more
                } catch (IOException e) {
                    warnings.put(name, "cannot be read: " + e.getClass().getSimpleName());
                }
            }
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key directory " + directory + " cannot be listed: " + e, e);
        }
        logChangedWarnings(warnings);
        return keys;
    }

    private KeyEntry read(Path p, String name, Map<String, String> warnings) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(p, PosixFileAttributes.class); // follows links
        if (!attrs.isRegularFile()) {
            warnings.put(name, "not a regular file");
            return null;
        }
        Set<PosixFilePermission> open = openTo(attrs.permissions());
        if (!open.isEmpty()) {
            warnings.put(name, "refused: readable or writable by group or others " + open + "; use chmod 600");
            return null;
        }
        if (attrs.size() > MAX_FILE_BYTES) {
            warnings.put(name, "refused: larger than " + MAX_FILE_BYTES + " bytes");
            return null;
        }
        byte[] content = Files.readAllBytes(p);
        byte[] key = null;
        try {
            if (content.length > MAX_FILE_BYTES) { // grew after the size check
                warnings.put(name, "refused: larger than " + MAX_FILE_BYTES + " bytes");
                return null;
            }
            key = KeyFileFormat.decode(content);
            if (key == null) {
                warnings.put(name, "refused: not valid " + KeyFileFormat.encodingOf(content) + " after its prefix");
                return null;
            }
            if (key.length == 0) {
                warnings.put(name, "refused: empty key");
                return null;
            }
            return new KeyEntry(name, new SecretKeySpec(key, "RAW"), attrs.lastModifiedTime().toInstant(), null);
        } finally {
            Arrays.fill(content, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }


    private static Set<PosixFilePermission> openTo(Set<PosixFilePermission> perms) {
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : perms) {
            if (GROUP_OTHER_RW.contains(p)) {
                open.add(p);
            }
        }
        return open;
    }

    private void logChangedWarnings(Map<String, String> warnings) {
        for (Map.Entry<String, String> w : warnings.entrySet()) {
            if (!w.getValue().equals(warned.get(w.getKey()))) {
                LOG.warn("key file {} in {} skipped: {}", w.getKey(), directory, w.getValue());
            }
        }
        warned.keySet().retainAll(warnings.keySet());
        warned.putAll(warnings);
    }

    /** Warnings in force by file name; for tests and diagnostics. */
    synchronized Map<String, String> warnings() {
        return Map.copyOf(warned);
    }
}
