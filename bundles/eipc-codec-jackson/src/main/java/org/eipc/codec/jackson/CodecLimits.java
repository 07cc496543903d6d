package org.eipc.codec.jackson;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;

/**
 * The input bounds of a codec, each positive: whole payload bytes, nesting depth, string length (characters or
 * bytes) and number length (digits).
 */
public final class CodecLimits {
    /** The defaults: 1 MiB input, depth 64, 1 Mi per string, 1000 digits. */
    public static final CodecLimits DEFAULTS = new CodecLimits(1 << 20, 64, 1 << 20, 1000);

    private final int maxInputBytes;
    private final int maxNestingDepth;
    private final int maxStringLength;
    private final int maxNumberLength;

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when a limit is not positive
     */
    public CodecLimits(final int maxInputBytes, final int maxNestingDepth, final int maxStringLength,
            final int maxNumberLength) {
        positive("maxInputBytes", maxInputBytes);
        positive("maxNestingDepth", maxNestingDepth);
        positive("maxStringLength", maxStringLength);
        positive("maxNumberLength", maxNumberLength);
        this.maxInputBytes = maxInputBytes;
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringLength = maxStringLength;
        this.maxNumberLength = maxNumberLength;
    }

    public int maxInputBytes() {
        return maxInputBytes;
    }

    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    public int maxStringLength() {
        return maxStringLength;
    }

    /** Jackson's read constraints for these limits. */
    public StreamReadConstraints readConstraints() {
        return StreamReadConstraints.builder()
                .maxDocumentLength(maxInputBytes)
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .maxNumberLength(maxNumberLength)
                .build();
    }

    /** Jackson's write constraints: what we write, a peer with the same limits can read. */
    public StreamWriteConstraints writeConstraints() {
        return StreamWriteConstraints.builder().maxNestingDepth(maxNestingDepth).build();
    }

    private static void positive(final String name, final int value) {
        if (value <= 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, name + "=" + value + " must be positive");
        }
    }
}
