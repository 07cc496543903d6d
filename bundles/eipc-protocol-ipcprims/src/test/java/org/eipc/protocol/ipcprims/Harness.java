package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.IpcException;

/** Drives one {@link IpcprimsPeer} over a {@link MemoryConnection} and records what it reports. */
final class Harness implements IpcprimsPeerListener {
    /** One frame: channel and a copy of the payload. */
    record Frame(int channel, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final MemoryConnection conn = new MemoryConnection();
    final IpcprimsPeer peer;
    final boolean bytewise;
    final List<Frame> frames = new ArrayList<>();
    final List<long[]> pongs = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    long now = 1_000_000_000L;
    int closedCalls;
    IpcException cause;

    Harness(IpcprimsConfig config, boolean bytewise) {
        this.bytewise = bytewise;
        this.peer = new IpcprimsPeer(config.withTimer(null, () -> now), this);
        peer.onOpen(conn);
    }

    static Harness server(boolean bytewise) {
        return new Harness(IpcprimsConfig.server(), bytewise);
    }

    static Harness client(boolean bytewise, int... channels) {
        return new Harness(IpcprimsConfig.client(channels), bytewise);
    }

    Harness feed(byte[] bytes) {
        if (bytewise) {
            for (int i = 0; i < bytes.length; i++) {
                peer.onData(conn, ByteBuffer.wrap(bytes, i, 1).slice());
            }
        } else {
            final ByteBuffer b = ByteBuffer.wrap(bytes);
            peer.onData(conn, b);
        }
        return this;
    }

    Harness eof() {
        peer.onInputShutdown(conn);
        return this;
    }

    /** Frames the peer wrote, decoded. */
    List<Frame> sent() {
        final List<Frame> out = new ArrayList<>();
        new IpcprimsStreamDecoder(Integer.MAX_VALUE).feed(ByteBuffer.wrap(conn.written()), (ch, p, off) -> {
            final byte[] b = new byte[p.remaining()];
            p.get(b);
            out.add(new Frame(ch, b));
            return true;
        });
        return out;
    }

    @Override
    public void onFrame(int channel, ByteBuffer payload) {
        final byte[] b = new byte[payload.remaining()];
        payload.get(b);
        frames.add(new Frame(channel, b));
        events.add("frame:" + channel);
    }

    @Override
    public void onHandshake(IpcprimsPeer p) {
        events.add("handshake");
    }

    @Override
    public void onPong(long pingNumber, long rttNanos) {
        pongs.add(new long[] {pingNumber, rttNanos});
        events.add("pong:" + pingNumber);
    }

    @Override
    public void onShutdownRequested(IpcprimsPeer p) {
        events.add("shutdownRequested");
    }

    @Override
    public void onValidationFailed(int channel, IpcException error) {
        events.add("invalid:" + channel);
    }

    @Override
    public void onClosed(IpcprimsPeer p, IpcException c) {
        closedCalls++;
        cause = c;
        events.add("closed:" + (c == null ? "ok" : c.code() + "@" + c.offset()));
    }
}
