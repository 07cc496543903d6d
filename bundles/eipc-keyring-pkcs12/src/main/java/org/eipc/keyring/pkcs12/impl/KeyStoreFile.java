package org.eipc.keyring.pkcs12.impl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the secret-key entries of one PKCS#12 file: alias = key id, created = the entry's creation date, key =
 * the entry's raw bytes (whatever algorithm name the store gave it). Private-key and certificate entries are
 * ignored. The file must not be readable or writable by group or others, and at most {@value #MAX_FILE_BYTES}
 * bytes. The password never appears in a message or log.
 */
final class KeyStoreFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyStoreFile.class);

    static final int MAX_FILE_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> GROUP_OTHER_RW = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /** What identifies one version of the file, to notice rewrites without reading it. */
    static final class Stamp {
        final Object fileKey;
        final long modified;
        final long size;

        Stamp(Object fileKey, long modified, long size) {
            this.fileKey = fileKey;
            this.modified = modified;
            this.size = size;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp && Objects.equals(fileKey, ((Stamp) o).fileKey)
                    && modified == ((Stamp) o).modified && size == ((Stamp) o).size;
        }

        @Override
        public int hashCode() {
            return Objects.hash(fileKey, modified, size);
        }
    }

    private final Path path;

    KeyStoreFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * The file's current stamp, after checking it is a private regular file.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when it is missing, not a regular file, too large or
     *         open to group or others
     */
    Stamp stamp() {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " is on a file system without POSIX permissions");
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " is not readable: " + e.getClass().getSimpleName());
        }
        if (!attrs.isRegularFile()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " is not a regular file");
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attrs.permissions());
        open.retainAll(GROUP_OTHER_RW);
        if (!open.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path
                    + " is readable or writable by group or others " + open + "; use chmod 600");
        }
        if (attrs.size() > MAX_FILE_BYTES) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return new Stamp(attrs.fileKey(), attrs.lastModifiedTime().toMillis(), attrs.size());
    }

    /**
     * Loads every secret-key entry.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the file fails {@link #stamp()}, the password is
     *         wrong or the file is not a PKCS#12 store
     */
    List<KeyEntry> load(char[] password) {
        stamp();
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        try {
            if (content.length > MAX_FILE_BYTES) { // grew after the check
                throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), password);
            return entries(store, password);
        } catch (IOException e) {
            // the JDK reports a wrong password as an IOException caused by UnrecoverableKeyException
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + (wrongPassword
                    ? " cannot be opened: wrong password (or a damaged file)"
                    : " is not a readable PKCS#12 file (" + e.getClass().getSimpleName() + ")"));
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key store " + path + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private List<KeyEntry> entries(KeyStore store, char[] password) throws GeneralSecurityException {
        List<KeyEntry> keys = new ArrayList<>();
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
        try {
            collect(store, protection, keys);
        } finally {
            try {
                protection.destroy(); // wipes its copy of the password
            } catch (javax.security.auth.DestroyFailedException e) {
                // cannot happen for PasswordProtection; nothing else to do
            }
        }
        return keys;
    }

    private void collect(KeyStore store, KeyStore.PasswordProtection protection, List<KeyEntry> keys)
            throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (!store.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
                LOG.debug("key store {}: entry {} is not a secret key, ignored", path, alias);
                continue;
            }
            KeyStore.Entry entry;
            try {
                entry = store.getEntry(alias, protection);
            } catch (UnrecoverableKeyException e) {
                LOG.warn("key store {}: entry {} skipped: it has a password other than the store's", path, alias);
                continue;
            }
            SecretKey key = ((KeyStore.SecretKeyEntry) entry).getSecretKey();
            byte[] raw = key.getEncoded();
            try {
                if (raw == null || raw.length == 0) {
                    LOG.warn("key store {}: entry {} skipped: no raw key bytes", path, alias);
                    continue;
                }
                keys.add(new KeyEntry(alias, new SecretKeySpec(raw, key.getAlgorithm()),
                        store.getCreationDate(alias).toInstant(), null));
            } finally {
                if (raw != null) {
                    Arrays.fill(raw, (byte) 0);
                }
            }
        }
    }
}
