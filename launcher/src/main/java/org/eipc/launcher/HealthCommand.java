package org.eipc.launcher;

import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.launcher.net.CliRuntime;
import org.eipc.runtime.EndpointOptions;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eipc health URI}: asks a running host for its health report. The host's health bundle answers requests
 * with header route {@code health} on every configured endpoint, so this connects and authenticates like
 * {@code eipc info} and sends one such request.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Connect to a host's endpoint, ask for its health report (route 'health') and print it: checks,"
                + " endpoints, transports, counters and recent failures; with --json the report itself.",
            "Exit 0 when UP (with --readiness: ready, --liveness: live), 30 otherwise; 3 when the host cannot be "
                + "reached; 124 when it does not answer (no health bundle there)."})
final class HealthCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URI",
            description = "The host's endpoint: tcp://host:port, tls://host:port, unix:///path, shm:///path.")
    String uri;

    @Option(names = "--to", paramLabel = "URI", description = "The host's endpoint (instead of the URI argument).")
    String to;

    @Option(names = "--route", paramLabel = "ROUTE", defaultValue = "health",
            description = "The header route the host's health handler answers (default health).")
    String route;

    @Option(names = "--capability", paramLabel = "CAP", defaultValue = "",
            description = "Capability to present, when the host requires one for health reports.")
    String capability;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Probe probe;

    static final class Probe {
        @Option(names = "--readiness", description = "Exit 0 when the host is ready (UP or DEGRADED), 30 when not.")
        boolean readiness;

        @Option(names = "--liveness", description = "Exit 0 when the host is live, 30 when not.")
        boolean liveness;
    }

    @Override
    public Integer call() {
        if ((uri == null) == (to == null)) {
            throw new UsageException("name the host's endpoint once: URI or --to URI");
        }
        if (net.protocol != NetOptions.Protocol.eipc) {
            throw new UsageException("health speaks EIPC only");
        }
        URI address = Net.address(uri != null ? uri : to);
        try {
            JsonObject report = parse(fetch(address));
            if (net.json) {
                System.out.println(report);
            } else {
                print(report, address, System.out);
            }
            return exitCode(report);
        } catch (IpcException e) {
            net.printError(e);
            throw e;
        }
    }

    private int exitCode(JsonObject report) {
        boolean ok;
        if (probe != null && probe.readiness) {
            ok = report.getBoolean("ready", false);
        } else if (probe != null && probe.liveness) {
            ok = report.getBoolean("live", false);
        } else {
            ok = "UP".equals(report.getString("status", ""));
        }
        return ok ? ExitCodes.SUCCESS : ExitCodes.HEALTH_CHECK_FAILED;
    }

    /** One authenticated session, one request with the health route, the reply's payload. */
    private String fetch(URI address) {
        Duration t = net.timeout;
        try (CliRuntime runtime = Net.cliRuntime(net, List.of(address))) {
            EndpointOptions options = Net.endpointOptions(net, net.serviceId != null ? net.serviceId : "eipc-cli");
            Session session = runtime.runtime().connect(List.of(address), options, (s, m) -> { }, t);
            try {
                Message request = Message.of(MessageType.INTENT, Header.builder().route(route).capability(capability)
                        .payloadFormat(Header.FORMAT_JSON).build(), "{}".getBytes(StandardCharsets.UTF_8));
                Message reply = await(session.request(request, t).toCompletableFuture(), t.plusMillis(500));
                return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
            } finally {
                closeInOrder(session, t);
            }
        }
    }

    /**
     * Closes the session in order and waits until it has ended, so the host ends its side at once instead of keeping
     * it detached for a resume (which its next health report would show). As {@code ClientSession.finish} does.
     */
    private static void closeInOrder(Session session, Duration timeout) {
        session.close();
        long deadline = System.nanoTime() + timeout.plusSeconds(1).toNanos();
        while (session.isOpen() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Message await(java.util.concurrent.CompletableFuture<Message> f, Duration timeout) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "no health report within " + timeout.toMillis()
                    + " ms (is the health bundle running on the host?)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IpcException ipc ? ipc : new IpcException(ErrorCode.INTERNAL, "failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private static JsonObject parse(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            JsonObject o = reader.readObject();
            if (!o.containsKey("status") || !o.containsKey("checks")) {
                throw new IpcException(ErrorCode.CODEC_ERROR, "the reply is not a health report");
            }
            return o;
        } catch (JsonException | ClassCastException e) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "the reply is not a health report: " + e.getMessage());
        }
    }

    /** The human form: status line, checks table, endpoints, transports, counters, recent failures. */
    static void print(JsonObject r, URI address, PrintStream out) {
        out.printf("status: %s (%s, %s)  %s at %s%n", r.getString("status"),
                r.getBoolean("live", false) ? "live" : "NOT live", r.getBoolean("ready", false) ? "ready" : "NOT ready",
                address, r.getString("timestamp", ""));
        List<JsonObject> checks = r.getJsonArray("checks").getValuesAs(JsonObject.class);
        int width = checks.stream().mapToInt(c -> c.getString("name").length()).max().orElse(5);
        out.println("checks:");
        for (JsonObject c : checks) {
            out.printf("  %-8s  %-" + width + "s  %s%n", c.getString("status"), c.getString("name"),
                    c.getString("detail", ""));
        }
        JsonObject metrics = r.getJsonObject("metrics");
        if (metrics == null) {
            return;
        }
        out.println("endpoints:");
        for (JsonObject e : metrics.getJsonArray("endpoints").getValuesAs(JsonObject.class)) {
            List<JsonObject> sessions = e.getJsonArray("sessions").getValuesAs(JsonObject.class);
            long detached = sessions.stream().filter(s -> !s.getBoolean("attached", true)).count();
            out.printf("  %-6s  %s  %s, %d session(s)%s%n", e.getString("role"),
                    String.join(" ", e.getJsonArray("addresses").getValuesAs(jakarta.json.JsonString.class).stream()
                            .map(jakarta.json.JsonString::getString).toList()),
                    e.getBoolean("ready", false) ? ("server".equals(e.getString("role")) ? "listening" : "connected")
                            : "NOT ready", sessions.size(), detached > 0 ? " (" + detached + " detached)" : "");
        }
        out.println("transports: " + String.join(", ", metrics.getJsonArray("schemes")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList()));
        out.println("counters: " + numbers(metrics.getJsonObject("counters")));
        JsonObject failures = r.getJsonObject("failures");
        if (failures != null) {
            out.println("failures (last " + failures.getInt("window_seconds", 0) + " s): "
                    + numbers(failures.getJsonObject("counts")));
        }
    }

    private static String numbers(JsonObject o) {
        if (o == null || o.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (var e : o.entrySet()) {
            JsonValue v = e.getValue();
            sb.append(sb.length() == 0 ? "" : " ").append(e.getKey().toLowerCase(Locale.ROOT)).append('=').append(v);
        }
        return sb.toString();
    }
}
