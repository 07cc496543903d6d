package org.eipc.service.audit.impl;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open audit file and the chain state ({@code seq} and hash of the last line): appends lines, rotates by
 * size and continues an existing chain after a restart. Used by one thread at a time (the writer).
 */
final class AuditFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFile.class);
    private static final int TAIL = 1 << 20;

    private final Path file;
    private final long maxFileBytes;
    private final int keepRotated;
    private final Clock clock;
    private final boolean posix;
    private FileChannel channel;
    private long size;
    private long linesInFile;
    private long seq;
    private String lastHash;

    /**
     * Opens {@code file}, continuing its chain (or that of its newest rotated file), or starts a new chain.
     *
     * @throws IOException when the file or its directory cannot be created or read
     */
    AuditFile(final Path file, final long maxFileBytes, final int keepRotated, final Clock clock) throws IOException {
        this.file = file;
        this.maxFileBytes = maxFileBytes;
        this.keepRotated = keepRotated;
        this.clock = clock;
        final Path dir = file.getParent();
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attrs("rwx------"));
        }
        if (Files.exists(file) && Files.size(file) > 0) {
            if (resumeFrom(file)) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                size = channel.size();
                linesInFile = 2; // at least the genesis line and one more, or rotation would never start
                return;
            }
            LOG.error("audit file {} does not end with a complete audit line; moving it aside and starting a new"
                    + " file", file);
            moveAside();
        } else {
            final List<Path> chain = AuditVerifier.chainOf(file);
            if (chain.size() > 1) {
                resumeFrom(chain.get(chain.size() - 2));
            } else {
                seq = 0;
                lastHash = AuditLines.ZERO_HASH;
            }
        }
        startFile();
    }

    /**
     * Takes the chain state from the last complete line of {@code f}.
     *
     * @return false when {@code f} ends in a partial line or its last line is not an audit line
     */
    private boolean resumeFrom(final Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            final long length = raf.length();
            final int n = (int) Math.min(length, TAIL);
            final byte[] tail = new byte[n];
            raf.seek(length - n);
            raf.readFully(tail);
            final boolean complete = n > 0 && tail[n - 1] == '\n';
            int end = n;
            if (!complete) { // a write cut short (crash): continue from the last complete line
                while (end > 0 && tail[end - 1] != '\n') {
                    end--;
                }
            }
            if (end > 0) {
                end--; // the newline
            }
            int start = end;
            while (start > 0 && tail[start - 1] != '\n') {
                start--;
            }
            final byte[] last = Arrays.copyOfRange(tail, start, end);
            final AuditLines.Parsed p = AuditLines.parse(last);
            lastHash = AuditLines.sha256(last);
            seq = p == null ? seq : p.seq();
            return complete && p != null;
        }
    }

    private void moveAside() throws IOException {
        final List<Path> chain = AuditVerifier.chainOf(file);
        long next = 1;
        if (chain.size() > 1) {
            final String n = chain.get(chain.size() - 2).getFileName().toString();
            next = Long.parseLong(n.substring(n.lastIndexOf('.') + 1)) + 1;
        }
        final Path target = file.resolveSibling(file.getFileName() + "." + String.format("%06d", next));
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(file, target);
        }
        if (keepRotated > 0) {
            final List<Path> all = AuditVerifier.chainOf(file);
            for (int i = 0; i < all.size() - 1 - keepRotated; i++) {
                Files.deleteIfExists(all.get(i));
            }
        }
    }

    private void startFile() throws IOException {
        try {
            Files.createFile(file, attrs("rw-------"));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("audit file " + file + " appeared while starting a new one", e);
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = 0;
        linesInFile = 0;
        write(AuditLines.genesis(seq + 1, lastHash, clock.instant()));
    }

    private FileAttribute<?>[] attrs(final String perms) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))}
                : new FileAttribute<?>[0];
    }

    /** Appends one event, rotating first when the line would make the file larger than the limit. */
    void append(final AuditEvent event, final boolean force) throws IOException {
        final byte[] line = AuditLines.event(seq + 1, lastHash, event);
        if (size + line.length + 1 > maxFileBytes && linesInFile > 1) {
            rotate();
            final byte[] again = AuditLines.event(seq + 1, lastHash, event);
            write(again);
        } else {
            write(line);
        }
        if (force) {
            channel.force(false);
        }
    }

    private void write(final byte[] line) throws IOException {
        final ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        size += line.length + 1;
        linesInFile++;
        seq++;
        lastHash = AuditLines.sha256(line);
    }

    private void rotate() throws IOException {
        channel.force(true);
        channel.close();
        moveAside();
        startFile();
    }

    void force() throws IOException {
        channel.force(false);
    }

    long seq() {
        return seq;
    }

    @Override
    public void close() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.force(true);
            channel.close();
        }
    }
}
