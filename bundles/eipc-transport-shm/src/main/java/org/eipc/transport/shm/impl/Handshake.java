package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.PeerCredentials;

/**
 * The side-channel set-up, big-endian:
 *
 * <pre>
 * listener -> client  HELLO: length (4, of what follows) | magic "ESH1" (4) | version (4) | capacity (4)
 *                            | c2s path length (2) | c2s path (UTF-8) | s2c path length (2) | s2c path
 * client -> listener  ACK:   magic "ESHA" (4), sent once both rings are mapped
 * </pre>
 *
 * The client unlinks both files once it has mapped them, the listener once it has the ACK (or on failure), so
 * a crash of either side after the HELLO leaves no file behind. Every length is checked before anything is
 * allocated.
 */
final class Handshake {
    static final int HELLO_MAGIC = 0x45534831; // "ESH1"
    static final int ACK_MAGIC = 0x45534841; // "ESHA"
    static final int VERSION = 1;
    static final int MAX_PATH_BYTES = 4096;
    static final int MAX_HELLO = 12 + 2 * (2 + MAX_PATH_BYTES);

    /** The mapped rings of a finished set-up, from this side's point of view. */
    static final class Result {
        final RingConsumer in;
        final RingProducer out;
        final PeerCredentials credentials;

        Result(final RingConsumer in, final RingProducer out, final PeerCredentials credentials) {
            this.in = in;
            this.out = out;
            this.credentials = credentials;
        }
    }

    private Handshake() {
    }

    /** Listener side: create both rings, announce them, wait for the ACK, unlink them. */
    static Result serve(final SideChannel side, final Path ringDirectory, final String baseName, final int capacity,
            final long deadline) throws IOException {
        final PeerIdentity peer = PeerIdentity.of(side.channel());
        final RingFile c2s = RingFile.create(ringDirectory.resolve(baseName + ".c2s"), capacity);
        RingFile s2c = null;
        try {
            s2c = RingFile.create(ringDirectory.resolve(baseName + ".s2c"), capacity);
            // numeric ids come from our own file's owner, so resolve them while the file surely exists
            final PeerCredentials creds = peer.toCredentials(c2s.path());
            final byte[] a = c2s.path().toString().getBytes(StandardCharsets.UTF_8);
            final byte[] b = s2c.path().toString().getBytes(StandardCharsets.UTF_8);
            if (a.length > MAX_PATH_BYTES || b.length > MAX_PATH_BYTES) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "ring directory path too long: " + ringDirectory);
            }
            final ByteBuffer hello = ByteBuffer.allocate(4 + 12 + 4 + a.length + b.length);
            hello.putInt(hello.capacity() - 4).putInt(HELLO_MAGIC).putInt(VERSION).putInt(capacity)
                    .putShort((short) a.length).put(a).putShort((short) b.length).put(b).flip();
            side.writeFully(hello, deadline);
            final ByteBuffer ack = ByteBuffer.allocate(4);
            side.readFully(ack, deadline);
            if (ack.getInt(0) != ACK_MAGIC) {
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "shm client sent a bad set-up acknowledgement");
            }
            return new Result(new RingConsumer(c2s.buffer(), capacity), new RingProducer(s2c.buffer(), capacity),
                    creds);
        } finally {
            // after the ACK both sides hold mappings; on failure nobody needs the files any more
            c2s.unlink();
            if (s2c != null) {
                s2c.unlink();
            }
        }
    }

    /** Client side: read the announcement, check and map both rings, acknowledge. */
    static Result join(final SideChannel side, final long deadline) throws IOException {
        final PeerIdentity peer = PeerIdentity.of(side.channel());
        final ByteBuffer len = ByteBuffer.allocate(4);
        side.readFully(len, deadline);
        final int n = len.getInt(0);
        if (n < 16 || n > MAX_HELLO) {
            throw badHello("length " + n);
        }
        final ByteBuffer hello = ByteBuffer.allocate(n);
        side.readFully(hello, deadline);
        hello.flip();
        if (hello.getInt() != HELLO_MAGIC || hello.getInt() != VERSION) {
            throw badHello("magic or version");
        }
        final int capacity = hello.getInt();
        if (!RingLayout.isValidCapacity(capacity)) {
            throw badHello("ring capacity " + capacity);
        }
        final Path c2sPath = path(hello);
        final Path s2cPath = path(hello);
        if (hello.hasRemaining() || c2sPath.equals(s2cPath)) {
            throw badHello("layout");
        }
        final RingFile c2s = RingFile.open(c2sPath, capacity, peer.user);
        final RingFile s2c = RingFile.open(s2cPath, capacity, peer.user);
        final PeerCredentials creds = peer.toCredentials(c2s.path());
        // the listener mapped both before it announced them: unlink now, so the files are gone even if the
        // listener dies before it reads the ACK (it unlinks too; whoever is first wins)
        c2s.unlink();
        s2c.unlink();
        final ByteBuffer ack = ByteBuffer.allocate(4).putInt(0, ACK_MAGIC);
        side.writeFully(ack, deadline);
        return new Result(new RingConsumer(s2c.buffer(), capacity), new RingProducer(c2s.buffer(), capacity), creds);
    }

    private static Path path(final ByteBuffer hello) {
        if (hello.remaining() < 2) {
            throw badHello("truncated");
        }
        final int n = hello.getShort() & 0xFFFF;
        if (n == 0 || n > MAX_PATH_BYTES || n > hello.remaining()) {
            throw badHello("path length " + n);
        }
        final byte[] b = new byte[n];
        hello.get(b);
        try {
            return Path.of(new String(b, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw badHello("path");
        }
    }

    private static IpcException badHello(final String what) {
        return new IpcException(ErrorCode.PROTOCOL_VIOLATION, "shm listener sent a bad set-up message: " + what);
    }
}
