package org.eipc.runtime.impl;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.ProtocolMode;

/** Test helpers for raw frames on a stream: split a vector stream, read one prefixed frame from a socket. */
final class WireFrames {
    private WireFrames() {
    }

    /** The frames of a prefixed stream, each with its 4-byte prefix. */
    static List<byte[]> split(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(stream);
        while (b.remaining() >= 4) {
            int len = b.getInt(b.position());
            byte[] f = new byte[4 + len];
            b.get(f);
            out.add(f);
        }
        return out;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = WireFrames.class.getResourceAsStream("/vectors/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Reads one prefixed frame, or null at end of stream. */
    static byte[] read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int len;
        try {
            len = d.readInt();
        } catch (java.io.EOFException e) {
            return null;
        }
        if (len < 0 || len > (1 << 20)) {
            throw new IOException("bad prefix " + len);
        }
        byte[] f = new byte[4 + len];
        ByteBuffer.wrap(f).putInt(len);
        d.readFully(f, 4, len);
        return f;
    }

    /** Parses a prefixed frame without checking its MAC. */
    static Frame parse(byte[] prefixed) {
        return new FrameDecoder(ProtocolMode.COMPAT).parse(ByteBuffer.wrap(prefixed, 4, prefixed.length - 4).slice());
    }

    static String payload(byte[] prefixed) {
        ByteBuffer p = parse(prefixed).payload();
        byte[] b = new byte[p.remaining()];
        p.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
