package org.eipc.service.trace.record;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * A recording that cannot be read: not JSON, not in the format, a line cut short. Carries the file and the line
 * (1-based); the code is {@link ErrorCode#CODEC_ERROR} (data category: exit code 60 of the {@code eipc} command).
 * Immutable; never carries payload bytes.
 */
public class RecordFileException extends IpcException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;

    /**
     * @param file the file's name as the reader was given it
     * @param line the offending line, 1-based
     * @param reason what is wrong, in words
     */
    public RecordFileException(String file, long line, String reason) {
        super(ErrorCode.CODEC_ERROR, file + " line " + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** The file's name as the reader was given it. */
    public String file() {
        return file;
    }

    /** The offending line, 1-based. */
    public long line() {
        return line;
    }
}
