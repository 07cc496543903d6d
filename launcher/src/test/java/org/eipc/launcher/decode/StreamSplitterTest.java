package org.eipc.launcher.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

class StreamSplitterTest {

    @Test
    void shouldSplitFramesAndReportPrefixOffsets() {
        List<String> seen = new ArrayList<>();
        new StreamSplitter(100).split(ByteBuffer.wrap(new byte[] {0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c'}),
                (f, off) -> seen.add(off + ":" + f.remaining()));
        assertEquals(List.of("0:2", "6:1"), seen);
    }

    @Test
    void shouldRejectZeroOversizedAndTruncatedRecordsWithOffsets() {
        assertError(ErrorCode.STREAM_PREFIX_ZERO, 0, new byte[] {0, 0, 0, 0});
        assertError(ErrorCode.STREAM_PREFIX_TOO_LARGE, 0, new byte[] {0, 0, 1, 0});
        assertError(ErrorCode.TRUNCATED_PREFIX, 7, new byte[] {0, 0, 0, 1, 'a', 0, 0});
        assertError(ErrorCode.TRUNCATED_FRAME, 6, new byte[] {0, 0, 0, 5, 'a', 'b'});
    }

    private static void assertError(ErrorCode code, long offset, byte[] stream) {
        IpcException e = assertThrows(IpcException.class,
                () -> new StreamSplitter(100).split(ByteBuffer.wrap(stream), (f, off) -> { }));
        assertEquals(code, e.code());
        assertEquals(offset, e.offset());
    }
}
