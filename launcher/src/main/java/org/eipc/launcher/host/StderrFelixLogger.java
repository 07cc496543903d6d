package org.eipc.launcher.host;

import java.io.PrintStream;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** Sends the framework's own log lines to stderr (Felix's default writes them to stdout). */
final class StderrFelixLogger extends Logger {
    private final PrintStream err;

    StderrFelixLogger(PrintStream err, int level) {
        this.err = err;
        setLogLevel(level);
    }

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
            Throwable throwable) {
        StringBuilder line = new StringBuilder("felix ").append(levelName(level)).append(": ");
        if (bundle != null) {
            line.append('[').append(bundle.getSymbolicName()).append("] ");
        }
        line.append(msg);
        if (throwable != null) {
            line.append(" (").append(throwable).append(')');
        }
        err.println(line);
    }

    private static String levelName(int level) {
        switch (level) {
            case LOG_ERROR:
                return "ERROR";
            case LOG_WARNING:
                return "WARNING";
            case LOG_INFO:
                return "INFO";
            default:
                return "DEBUG";
        }
    }
}
