package org.eipc.launcher;

import java.io.PrintWriter;

import org.eipc.api.IpcException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code eipc} command. Each subcommand is one class; results go to stdout, logs and diagnostics to
 * stderr, and the exit codes are those of {@link ExitCodes}.
 */
@Command(name = "eipc", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "EIPC for OSGi: secure inter-process communication host and tools.",
        subcommands = {HostCommand.class, VersionCommand.class, DecodeCommand.class, KeygenCommand.class,
            DoctorCommand.class, EchoCommand.class, ListenCommand.class, SendCommand.class, RequestCommand.class,
            PingCommand.class, InfoCommand.class, AuditCommand.class,
            HealthCommand.class,
            RecordCommand.class, ReplayCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (never calls {@link System#exit}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::onException);
        return cl;
    }

    private static int onException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof IpcException) {
            IpcException ipc = (IpcException) e;
            err.println("eipc: " + ipc.getMessage());
            return ExitCodes.of(ipc.code());
        }
        if (e instanceof UsageException) {
            err.println("eipc: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        err.println("eipc: internal error: " + e);
        for (StackTraceElement el : e.getStackTrace()) {
            err.println("    at " + el);
        }
        return ExitCodes.INTERNAL;
    }

    @Override
    public void run() {
        // no subcommand: show usage on stderr, exit 2
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
