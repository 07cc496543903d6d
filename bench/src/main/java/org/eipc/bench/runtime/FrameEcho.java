package org.eipc.bench.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

import org.eipc.api.IpcException;
import org.eipc.bench.transport.Wire;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.StreamDecoder;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;

/**
 * One end of the ablation ping-pong (between the bare transport's and the runtime's): every message is a signed
 * EIPC frame of 64 payload bytes (the transport bench's header), decoded and HMAC-verified on the I/O thread
 * ({@link StreamDecoder}, STRICT); the answer (a new frame, encoded and signed) is sent from the I/O thread, or,
 * with an executor, from a pool thread after one hand-off, as the runtime does. {@link #onReply} runs where the
 * answer would be sent.
 */
class FrameEcho implements ConnectionHandler {
    private final StreamDecoder decoder;
    private final Executor handoff;
    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameMac mac = Wire.newMac();
    private final ByteBuffer payload = ByteBuffer.allocate(RuntimePeer.PAYLOAD);
    private final ByteBuffer out = ByteBuffer.allocate(Wire.wireLength(RuntimePeer.PAYLOAD));
    private Connection connection;
    volatile IpcException closeCause;
    volatile int frames;
    volatile int sent;

    FrameEcho(final Executor handoff) {
        this.handoff = handoff;
        this.decoder = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), Wire.newMac(), this::onFrame);
    }

    private void onFrame(final Frame frame, final long offset) {
        if (frame.payloadLength() != RuntimePeer.PAYLOAD) {
            throw new IllegalStateException("payload " + frame.payloadLength());
        }
        frames++;
        if (handoff == null) {
            onReply();
        } else {
            handoff.execute(() -> {
                try {
                    onReply();
                } catch (RuntimeException e) {
                    closeCause = new IpcException(org.eipc.api.ErrorCode.ILLEGAL_STATE, "reply failed: " + e, e);
                    e.printStackTrace();
                    connection.close();
                }
            });
        }
    }

    /** The next frame is due: by default, answer. */
    void onReply() {
        send();
    }

    /** Encodes, signs and offers one frame. */
    final synchronized void send() { // one buffer for all sends: one sender at a time
        payload.clear();
        sent++;
        if (connection.offer(Wire.encode(encoder, mac, payload, out)) != OfferResult.ACCEPTED) {
            connection.close(); // a ping-pong never has more than one message in flight
        }
    }

    final void start(final Connection c) {
        connection = c;
    }

    @Override
    public void onData(final Connection c, final ByteBuffer data) {
        connection = c;
        decoder.feed(data);
    }

    @Override
    public void onClose(final Connection c, final IpcException cause) {
        closeCause = cause;
    }
}
