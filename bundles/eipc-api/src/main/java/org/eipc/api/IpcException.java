package org.eipc.api;

/**
 * The one failure type of EIPC: unchecked, carrying an {@link ErrorCode} and, where bytes were being
 * decoded, the offset of the byte where decoding went wrong.
 *
 * <p>Messages never contain key material or payload bytes.
 */
public class IpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Value of {@link #offset()} when no byte offset applies. */
    public static final long NO_OFFSET = -1L;

    private final ErrorCode code;
    private final long offset;

    public IpcException(ErrorCode code, String message) {
        this(code, message, NO_OFFSET, null);
    }

    public IpcException(ErrorCode code, String message, long offset) {
        this(code, message, offset, null);
    }

    public IpcException(ErrorCode code, String message, Throwable cause) {
        this(code, message, NO_OFFSET, cause);
    }

    public IpcException(ErrorCode code, String message, long offset, Throwable cause) {
        super(message, cause);
        if (code == null) {
            throw new NullPointerException("code");
        }
        this.code = code;
        this.offset = offset;
    }

    public ErrorCode code() {
        return code;
    }

    /** Byte offset (from the start of the frame or stream being decoded) of the failed check, or -1. */
    public long offset() {
        return offset;
    }

    /** The message as given, without the code and offset that {@link #getMessage()} puts in front. */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        return offset >= 0 ? code + " at byte " + offset + ": " + m : code + ": " + m;
    }
}
