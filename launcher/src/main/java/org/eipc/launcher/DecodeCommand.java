package org.eipc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.eipc.api.IpcException;
import org.eipc.launcher.decode.FrameJson;
import org.eipc.launcher.decode.KeyOptions;
import org.eipc.launcher.decode.StreamSplitter;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.StreamDecoder;
import org.eipc.spi.security.FrameMac;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eipc decode}: decodes EIPC frames from files and prints one JSON object per frame (or per bad
 * frame). Exit 0 when every frame decodes (and verifies, with a key), 60 when any does not, 1 when a file
 * cannot be read, 2 on usage errors.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Decode EIPC frames from files; one JSON object per frame on stdout.",
            "With a key (--key-*, or env EIPC_HMAC_KEY as ASCII) each MAC is verified; strict mode (default)"
                    + " also rejects frames without a MAC, trailing bytes and unsupported flags."})
final class DecodeCommand implements Callable<Integer> {

    static final class Layout {
        @Option(names = "--frame", required = true, description = "Each file is one raw frame (no length prefix).")
        boolean frame;

        @Option(names = "--stream", required = true,
                description = "Each file is a stream of frames, each with a 4-byte big-endian length prefix.")
        boolean stream;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Layout layout;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeyOptions key;

    @Option(names = "--compat", description = "Decode as the Go reference does (MAC only when flagged, "
            + "trailing bytes and unknown flags ignored).")
    boolean compat;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to decode.")
    List<Path> files;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() {
        FrameMac mac = KeyOptions.frameMac(key, System.getenv("EIPC_HMAC_KEY"));
        ProtocolMode mode = compat ? ProtocolMode.COMPAT : ProtocolMode.STRICT;
        boolean unreadable = false;
        boolean invalid = false;
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException | RuntimeException e) {
                err.println("eipc decode: cannot read " + file + ": " + e);
                unreadable = true;
                continue;
            }
            FrameDecoder decoder = new FrameDecoder(mode);
            boolean ok = layout.frame ? decodeFrame(file, bytes, decoder, mac) : decodeStream(file, bytes, decoder, mac);
            invalid |= !ok;
        }
        if (unreadable) {
            return ExitCodes.FAILURE;
        }
        return invalid ? ExitCodes.DATA_INVALID : ExitCodes.SUCCESS;
    }

    private boolean decodeFrame(Path file, byte[] bytes, FrameDecoder decoder, FrameMac mac) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            out.println(FrameJson.frame(file.toString(), 0, 0, mac == null ? decoder.parse(buf)
                    : decoder.decode(buf, mac), mac != null));
            return true;
        } catch (IpcException e) {
            out.println(FrameJson.error(file.toString(), 0, e, e.offset()));
            return false;
        }
    }

    private boolean decodeStream(Path file, byte[] bytes, FrameDecoder decoder, FrameMac mac) {
        String name = file.toString();
        int[] index = {0};
        try {
            if (mac == null) {
                new StreamSplitter(decoder.maxFrameLength()).split(ByteBuffer.wrap(bytes), (frame, offset) -> {
                    try {
                        out.println(FrameJson.frame(name, index[0], offset, decoder.parse(frame), false));
                    } catch (IpcException e) {
                        long at = e.offset() >= 0 ? offset + 4 + e.offset() : offset;
                        throw new IpcException(e.code(), FrameJson.rawMessage(e), at, e);
                    }
                    index[0]++;
                });
            } else {
                StreamDecoder sd = new StreamDecoder(decoder, mac, (frame, offset) -> {
                    out.println(FrameJson.frame(name, index[0], offset, frame, true));
                    index[0]++;
                });
                sd.feed(ByteBuffer.wrap(bytes));
                sd.endOfStream();
            }
            return true;
        } catch (IpcException e) {
            out.println(FrameJson.error(name, index[0], e, e.offset()));
            return false;
        }
    }
}
