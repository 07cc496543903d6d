package org.eipc.launcher;

/** A usage problem found after parsing (unknown feature, malformed key): exit code {@link ExitCodes#USAGE}. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
