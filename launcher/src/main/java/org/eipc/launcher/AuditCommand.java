package org.eipc.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import org.eipc.service.audit.AuditVerifier;
import org.eipc.service.audit.VerificationResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eipc audit}: tools for the hash-chained audit log written by {@code eipc-service-audit}. */
@Command(name = "audit", description = "Work with the hash-chained audit log.", mixinStandardHelpOptions = true,
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    /**
     * {@code eipc audit verify FILE}: checks the hash chain of the log and of its rotated predecessors
     * ({@code FILE.000001}, ...). Exit 0 when every line links, 60 (data invalid) at the first changed, removed,
     * inserted or reordered line, 1 when the file cannot be read.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the hash chain of an audit log (and its rotated files). Exit 0 if intact, "
                    + "60 at the first changed, removed, inserted or reordered line, 1 if unreadable.")
    static final class Verify implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The current audit log file.")
        Path file;

        @Option(names = "--only", description = "Check this file alone, not its rotated predecessors.")
        boolean only;

        @Option(names = "--json", description = "Print a JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                System.err.println("eipc audit verify: no such file: " + file);
                return ExitCodes.FAILURE;
            }
            List<Path> files;
            try {
                files = only ? List.of(file) : AuditVerifier.chainOf(file);
            } catch (IOException e) {
                System.err.println("eipc audit verify: cannot list the rotated files of " + file + ": " + e);
                return ExitCodes.FAILURE;
            }
            VerificationResult r = AuditVerifier.verify(files);
            if (json) {
                JsonObjectBuilder o = Json.createObjectBuilder()
                        .add("file", file.toString())
                        .add("files", files.size())
                        .add("ok", r.ok())
                        .add("lines", r.linesChecked())
                        .add("last_seq", r.lastSeq());
                if (r.lastHash() != null) {
                    o.add("last_hash", r.lastHash());
                }
                if (!r.ok()) {
                    o.add("problem", r.problem().name())
                            .add("bad_file", String.valueOf(r.file()))
                            .add("line", r.line())
                            .add("reason", r.reason());
                }
                System.out.println(o.build());
            } else if (r.ok()) {
                System.out.println("ok: " + r.linesChecked() + " lines in " + files.size() + " file(s), last seq "
                        + r.lastSeq() + ", last hash " + r.lastHash());
            } else {
                System.out.println(r.problem() + " at " + r.file() + " line " + r.line() + ": " + r.reason());
            }
            return r.ok() ? ExitCodes.SUCCESS : ExitCodes.DATA_INVALID;
        }
    }
}
