package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * One memory-mapped ring file.
 *
 * <p>The listener creates the files with {@code O_CREAT|O_EXCL} and mode 0600 under an unguessable name, so
 * nobody else can create or open them first; the client opens them without following links and checks that
 * they are regular, singly linked, owned by the listener's user (when known) and exactly the announced size
 * before it maps them. Once both sides have mapped them the listener unlinks them: the mappings stay valid,
 * nobody can open them any more, and a crash of either process leaves no file behind.
 */
final class RingFile {
    static final String PREFIX = "eipc-shm-";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final MappedByteBuffer buffer;

    private RingFile(final Path path, final MappedByteBuffer buffer) {
        this.path = path;
        this.buffer = buffer;
        buffer.order(ByteOrder.nativeOrder());
    }

    /** A fresh random base name for the two files of one connection. */
    static String newBaseName(final SecureRandom random) {
        final byte[] id = new byte[16];
        random.nextBytes(id);
        return PREFIX + HexFormat.of().formatHex(id);
    }

    /** Creates, sizes, maps and initialises a ring file that must not exist yet. */
    static RingFile create(final Path path, final int capacity) throws IOException {
        final long size = RingLayout.fileSize(capacity);
        try (FileChannel ch = FileChannel.open(path,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            final RingFile f;
            try {
                // mapping beyond the end extends the (sparse) file; the mapping outlives the channel
                f = new RingFile(path, ch.map(FileChannel.MapMode.READ_WRITE, 0, size));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(path);
                throw e;
            }
            // the creation mode is filtered by the umask; make it exactly 0600 whatever the umask is
            Files.setPosixFilePermissions(path, OWNER_ONLY);
            RingLayout.initialise(f.buffer, capacity);
            return f;
        }
    }

    /**
     * Opens and maps a ring file created by the peer.
     *
     * @param expectedOwner the listener's user from SO_PEERCRED, or null when unknown
     * @throws IpcException {@link ErrorCode#PROTOCOL_VIOLATION} when the file is not what the peer announced
     */
    static RingFile open(final Path path, final int capacity, final UserPrincipal expectedOwner) throws IOException {
        final String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!path.isAbsolute() || !name.startsWith(PREFIX)) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "peer announced a ring file with a foreign name");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            final PosixFileAttributes attrs =
                    Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            final Object links = Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            final long size = RingLayout.fileSize(capacity);
            if (!attrs.isRegularFile() || ch.size() != size || !(links instanceof Integer)
                    || (Integer) links != 1 || !attrs.permissions().equals(OWNER_ONLY)
                    || (expectedOwner != null && !expectedOwner.equals(attrs.owner()))) {
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "ring file " + path
                        + " is not a private regular file of " + size + " bytes owned by the peer");
            }
            final RingFile f = new RingFile(path, ch.map(FileChannel.MapMode.READ_WRITE, 0, size));
            RingLayout.verify(f.buffer, capacity);
            return f;
        }
    }

    Path path() {
        return path;
    }

    MappedByteBuffer buffer() {
        return buffer;
    }

    /** Unlinks the file; the mapping stays valid until the buffer is collected. Idempotent. */
    void unlink() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // nothing more to do: the name is random and the file owner-only
        }
    }
}
