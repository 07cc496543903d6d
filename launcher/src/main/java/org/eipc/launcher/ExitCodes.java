package org.eipc.launcher;

import org.eipc.api.ErrorCode;

/**
 * Process exit codes of the {@code eipc} command. Every command uses these and nothing else.
 *
 * <table>
 * <caption>Exit codes</caption>
 * <tr><th>code</th><th>meaning</th></tr>
 * <tr><td>0</td><td>{@link #SUCCESS}</td></tr>
 * <tr><td>1</td><td>{@link #FAILURE}: the command could not do its job (unreadable file, bundle that does not
 * resolve, flow-control failure)</td></tr>
 * <tr><td>2</td><td>{@link #USAGE}: bad options or arguments (picocli usage errors, unknown feature,
 * malformed key)</td></tr>
 * <tr><td>3</td><td>{@link #TRANSPORT}: the peer could not be reached or the connection failed</td></tr>
 * <tr><td>30</td><td>{@link #HEALTH_CHECK_FAILED}</td></tr>
 * <tr><td>50</td><td>{@link #PERMISSION_DENIED}: authentication, MAC, capability or policy failure</td></tr>
 * <tr><td>60</td><td>{@link #DATA_INVALID}: the bytes are malformed</td></tr>
 * <tr><td>124</td><td>{@link #TIMEOUT}</td></tr>
 * <tr><td>125</td><td>{@link #INTERNAL}: a bug</td></tr>
 * </table>
 *
 * <p>{@link ErrorCode.Category#exitCode()} maps every {@link ErrorCode} onto one of these; {@link #of(ErrorCode)}
 * is the one place the launcher uses that mapping.
 */
public final class ExitCodes {
    /** Everything worked. */
    public static final int SUCCESS = 0;
    /** The command failed for a reason with no more specific code. */
    public static final int FAILURE = 1;
    /** Bad command-line usage. */
    public static final int USAGE = 2;
    /** Transport error. */
    public static final int TRANSPORT = 3;
    /** A health check failed. */
    public static final int HEALTH_CHECK_FAILED = 30;
    /** Permission denied (security category). */
    public static final int PERMISSION_DENIED = 50;
    /** Data invalid (data category). */
    public static final int DATA_INVALID = 60;
    /** Timeout. */
    public static final int TIMEOUT = 124;
    /** Internal error. */
    public static final int INTERNAL = 125;

    private ExitCodes() {
    }

    /** The exit code for a failure with {@code code}. */
    public static int of(ErrorCode code) {
        return code.category().exitCode();
    }
}
