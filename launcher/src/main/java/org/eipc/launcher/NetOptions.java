package org.eipc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.launcher.decode.KeyOptions;
import org.eipc.launcher.net.Durations;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options every network command ({@code echo listen send request ping info}) shares. */
final class NetOptions {
    enum Protocol { eipc, ipcprims }

    @Option(names = "--protocol", defaultValue = "eipc", description = "eipc (default) or ipcprims.")
    Protocol protocol;

    @Option(names = "--compat", description = "EIPC: the Go reference's handshake and frame rules (a MAC only when "
            + "flagged); default is the hardened mode.")
    boolean compat;

    @Option(names = "--service-id", paramLabel = "ID", description = "EIPC: this side's service id.")
    String serviceId;

    @Option(names = "--grant", paramLabel = "SERVICE=CAP[,CAP...]",
            description = "EIPC servers: admit only the services named this way (repeatable) and grant each these "
                    + "capabilities; without any, every service is admitted with none.")
    java.util.Map<String, String> grants = new java.util.LinkedHashMap<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeyOptions key;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = Durations.class,
            description = "Deadline of the connect, the handshake and each reply: 500ms, 5s, 2m (default 5s).")
    Duration timeout;

    @Option(names = "--json", description = "One JSON object per line on stdout.")
    boolean json;

    /** The env variable with the HMAC key as ASCII, as the Go reference reads it. */
    static String envKey() {
        return System.getenv("EIPC_HMAC_KEY");
    }

    /** Prints an error object on stdout when {@code --json}; the message always goes to stderr (by Main). */
    void printError(IpcException e) {
        if (json) {
            JsonObject o = Json.createObjectBuilder().add("error", e.code().name())
                    .add("exit_code", ExitCodes.of(e.code())).add("message", String.valueOf(e.getMessage())).build();
            System.out.println(o);
            System.out.flush();
        }
    }

    /**
     * The payload {@code --payload} names: {@code -} reads stdin, {@code @file} reads the file, anything else is
     * the text itself (JSON or not).
     */
    static byte[] payload(String spec) {
        if (spec == null) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        try {
            if (spec.equals("-")) {
                InputStream in = System.in;
                return in.readAllBytes();
            }
            if (spec.startsWith("@")) {
                return Files.readAllBytes(Path.of(spec.substring(1)));
            }
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "cannot read --payload " + spec + ": " + e.getMessage());
        }
        return spec.getBytes(StandardCharsets.UTF_8);
    }
}
