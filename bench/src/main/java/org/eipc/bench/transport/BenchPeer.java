package org.eipc.bench.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.ProtocolLimits;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.StreamDecoder;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.Transport;

/**
 * The child process of {@link TransportBench}: listens, prints {@code READY <address>} on stdout and serves one
 * measurement.
 *
 * <pre>
 * BenchPeer echo KIND DIR                      echo every byte back
 * BenchPeer sink KIND DIR SIZE WARM COUNT      receive WARM + COUNT signed frames of SIZE payload bytes; one ack
 *                                              byte after WARM and one after WARM + COUNT
 * BenchPeer count KIND DIR SIZE WARM COUNT     the same, but only count the length-prefixed messages (bytes only)
 * </pre>
 *
 * Transports decode every frame with {@link StreamDecoder} in STRICT mode, which verifies its HMAC-SHA256; the
 * raw sockets read each length-prefixed message into an array. Transport peers run until stdin closes.
 */
public final class BenchPeer {
    private BenchPeer() {
    }

    public static void main(final String[] args) throws Exception {
        final String mode = args[0];
        final Kind kind = Kind.of(args[1]);
        final Path dir = Path.of(args[2]);
        final boolean echo = "echo".equals(mode);
        final int size = echo ? 0 : Integer.parseInt(args[3]);
        final long warm = echo ? 0 : Long.parseLong(args[4]);
        final long count = echo ? 0 : Long.parseLong(args[5]);
        if (kind.raw) {
            try (RawPipe.Server server = new RawPipe.Server(kind, dir)) {
                ready(server.address());
                try (RawPipe pipe = server.accept()) {
                    if (echo) {
                        rawEcho(pipe);
                    } else {
                        rawSink(pipe, Wire.wireLength(size) - ProtocolLimits.PREFIX, warm, count);
                    }
                }
            }
            return;
        }
        final Transport transport = kind.newTransport();
        try {
            final URI address;
            switch (kind) {
                case TCP:
                    address = URI.create("tcp://127.0.0.1:0");
                    break;
                case UNIX:
                    address = URI.create("unix://" + dir.resolve("t.sock"));
                    break;
                default:
                    address = URI.create("shm://" + dir.resolve("shm.sock"));
            }
            final Listener listener = transport.listen(address,
                    c -> echo ? new Echo() : new Sink(size, warm, count, "sink".equals(mode)));
            ready(listener.address().toString());
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // run until the parent closes our stdin
            }
        } finally {
            if (transport instanceof AutoCloseable) {
                ((AutoCloseable) transport).close();
            }
        }
    }

    private static void ready(final String address) {
        System.out.println("READY " + address);
        System.out.flush();
    }

    private static void rawEcho(final RawPipe pipe) throws IOException {
        final byte[] msg = new byte[Wire.PING_LENGTH];
        while (true) {
            try {
                pipe.in.readFully(msg);
            } catch (java.io.EOFException e) {
                return;
            }
            pipe.rawOut.write(msg);
        }
    }

    private static void rawSink(final RawPipe pipe, final int frameLength, final long warm, final long count)
            throws IOException {
        final byte[] body = new byte[frameLength];
        for (long i = 1; i <= warm + count; i++) {
            final int len = pipe.in.readInt();
            if (len != frameLength) {
                throw new IOException("length prefix " + len + ", expected " + frameLength);
            }
            pipe.in.readFully(body, 0, len);
            if (i == warm || i == warm + count) {
                pipe.rawOut.write(Wire.ACK);
            }
        }
        pipe.in.read(); // the parent closes
    }

    /** Echoes every byte; the transport copies what it accepts, so the delivered buffer is offered as it is. */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            if (c.offer(data) != OfferResult.ACCEPTED) {
                c.close(); // a ping-pong never has more than one message in flight
            }
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
        }
    }

    /**
     * Decodes and verifies every frame (or, bytes only, counts the length-prefixed messages); acknowledges the end
     * of warm-up and the end of the run.
     */
    static final class Sink implements ConnectionHandler {
        private final int size;
        private final long warm;
        private final long total;
        private final ByteBuffer ack = ByteBuffer.allocate(1);
        private final StreamDecoder decoder;
        private final PrefixCounter counter;
        private Connection connection;
        private long frames;

        Sink(final int size, final long warm, final long count, final boolean decode) {
            this.size = size;
            this.warm = warm;
            this.total = warm + count;
            this.decoder = decode
                    ? new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), Wire.newMac(), this::onFrame) : null;
            this.counter = decode ? null : new PrefixCounter(Wire.wireLength(size) - ProtocolLimits.PREFIX);
        }

        private void onFrame(final Frame frame, final long offset) {
            if (frame.payloadLength() != size) {
                throw new IllegalStateException("payload " + frame.payloadLength() + " at " + offset);
            }
            counted(1);
        }

        private void counted(final int n) {
            for (int i = 0; i < n; i++) {
                frames++;
                if (frames == warm || frames == total) {
                    ack.clear().put(0, Wire.ACK);
                    connection.offer(ack);
                }
            }
        }

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            connection = c;
            if (decoder != null) {
                decoder.feed(data);
            } else {
                counted(counter.feed(data));
            }
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
            if (cause != null) {
                System.err.println("sink closed: " + cause);
            }
        }
    }
}
