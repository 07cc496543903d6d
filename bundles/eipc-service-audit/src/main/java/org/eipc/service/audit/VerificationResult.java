package org.eipc.service.audit;

import java.nio.file.Path;

/**
 * The outcome of {@link AuditVerifier#verify}. Immutable.
 */
public final class VerificationResult {

    /** What broke the chain. */
    public enum Problem {
        /** Nothing: the chain is intact. */
        NONE,
        /** A line's content no longer matches its hash, or the next line's link to it. */
        CHANGED,
        /** One or more lines are missing (the sequence numbers jump). */
        REMOVED,
        /** A line that does not belong to the chain was added. */
        INSERTED,
        /** Lines of the chain are out of order. */
        REORDERED,
        /** The chain ends early: a partial last line, or lines cut from the end of a file a later file continues. */
        TRUNCATED,
        /** A line is not an audit line at all, or a file cannot be read. */
        MALFORMED
    }

    private final Problem problem;
    private final Path file;
    private final long line;
    private final String reason;
    private final long linesChecked;
    private final long lastSeq;
    private final String lastHash;

    VerificationResult(final Problem problem, final Path file, final long line, final String reason,
            final long linesChecked, final long lastSeq, final String lastHash) {
        this.problem = problem;
        this.file = file;
        this.line = line;
        this.reason = reason;
        this.linesChecked = linesChecked;
        this.lastSeq = lastSeq;
        this.lastHash = lastHash;
    }

    /** True when every line of every file verified. */
    public boolean ok() {
        return problem == Problem.NONE;
    }

    /** {@link Problem#NONE} when ok. */
    public Problem problem() {
        return problem;
    }

    /** The file of the first bad line; null when ok. */
    public Path file() {
        return file;
    }

    /** The 1-based number, within {@link #file()}, of the first bad line; 0 when ok. */
    public long line() {
        return line;
    }

    /** Why, in words; empty when ok. */
    public String reason() {
        return reason;
    }

    /** Lines that verified before the first bad one (all lines when ok). */
    public long linesChecked() {
        return linesChecked;
    }

    /** The {@code seq} of the last line of the last file that verified completely; 0 when none did. */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * SHA-256 (hex) of the last line of the last file that verified completely; keep it elsewhere to detect a
     * later truncation. Empty when none did.
     */
    public String lastHash() {
        return lastHash;
    }

    @Override
    public String toString() {
        return ok() ? "ok: " + linesChecked + " lines, last seq " + lastSeq + ", last hash " + lastHash
                : problem + " at " + file + ":" + line + ": " + reason;
    }
}
