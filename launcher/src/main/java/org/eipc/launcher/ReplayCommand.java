package org.eipc.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import org.eipc.api.IpcException;
import org.eipc.launcher.net.CliRuntime;
import org.eipc.launcher.record.Replayer;
import org.eipc.service.trace.record.Comparison;
import org.eipc.service.trace.record.Flow;
import org.eipc.service.trace.record.Mismatch;
import org.eipc.service.trace.record.RecordFileException;
import org.eipc.service.trace.record.RecordReader;
import org.eipc.service.trace.record.RecordedMessage;
import org.eipc.service.trace.record.Recording;
import org.eipc.service.trace.record.ReplyComparator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eipc replay FILE --to URI}: plays a recording's client-to-server messages into a host and compares the
 * host's replies with the recorded ones. Exit 0 when every recorded reply came back equal and nothing else came,
 * 60 when any differs, is missing or unexpected (or the file is not a readable recording), 3 when the host cannot
 * be reached, 1 when the file cannot be read, 2 on usage errors.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a recording (from 'eipc record' or the host's recorder) into the host at --to and "
                + "compare its replies with the recorded ones, ignoring sequence, timestamp and session_id.",
            "Exit 0 when all match, 60 when any differs (the first differences are shown), 3 when the host is "
                + "unreachable."})
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file;

    @Option(names = "--to", required = true, paramLabel = "URI", description = "The host to replay into.")
    String to;

    @Option(names = "--timing", paramLabel = "asrecorded|fast", defaultValue = "asrecorded",
            description = "asrecorded (default): keep the recorded gaps between messages; fast: no gaps. Both wait "
                    + "for the replies the recording shows before each message (up to --timeout).")
    String timing;

    @Option(names = "--ignore", paramLabel = "FIELD", split = ",",
            description = "Also ignore these reply fields: type, service_id, priority, capability, route, "
                    + "payload_format, payload.")
    List<String> ignore = List.of();

    @Option(names = "--show", paramLabel = "N", defaultValue = "10",
            description = "Show at most N differences (default 10).")
    int show;

    @Override
    public Integer call() throws InterruptedException {
        RecordCommand.eipcOnly(net);
        URI host = Net.address(to);
        Replayer.Timing t = switch (timing) {
            case "asrecorded" -> Replayer.Timing.ASRECORDED;
            case "fast" -> Replayer.Timing.FAST;
            default -> throw new UsageException("--timing must be asrecorded or fast, not " + timing);
        };
        ReplyComparator comparator;
        try {
            comparator = new ReplyComparator(new LinkedHashSet<>(ignore));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--ignore: " + e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            System.err.println("eipc replay: no such file: " + file);
            return ExitCodes.FAILURE;
        }
        try {
            Recording rec = RecordReader.read(file);
            warnings(rec);
            try (CliRuntime rt = RecordCommand.runtime(net, List.of(host))) {
                Replayer.Result r = Replayer.replay(rec, rt.runtime(), host,
                        RecordCommand.endpointOptions(net, serviceId(rec)), t, net.timeout, comparator);
                print(rec, r);
                return r.comparison().ok() ? ExitCodes.SUCCESS : ExitCodes.DATA_INVALID;
            }
        } catch (IOException e) {
            System.err.println("eipc replay: cannot read " + file + ": " + e);
            return ExitCodes.FAILURE;
        } catch (IpcException e) {
            net.printError(e);
            throw e;
        }
    }

    /** {@code --service-id}, else the recorded client's. */
    private String serviceId(Recording rec) {
        if (net.serviceId != null) {
            return net.serviceId;
        }
        if (!rec.info().side().equals("client")) {
            return rec.info().peerServiceId();
        }
        List<RecordedMessage> c2s = rec.of(Flow.C2S);
        return c2s.isEmpty() || c2s.get(0).message().header().serviceId().isEmpty() ? "eipc-cli"
                : c2s.get(0).message().header().serviceId();
    }

    private static void warnings(Recording rec) {
        if (!rec.complete()) {
            System.err.println("eipc replay: warning: the recording has no end line (cut off while recording)");
        }
        if (rec.dropped() > 0) {
            System.err.println("eipc replay: warning: the recorder dropped " + rec.dropped() + " message(s); "
                    + "replies may differ for that reason");
        }
    }

    private void print(Recording rec, Replayer.Result r) {
        Comparison c = r.comparison();
        List<Mismatch> shown = c.mismatches().subList(0, Math.min(Math.max(0, show), c.mismatches().size()));
        if (net.json) {
            JsonArrayBuilder ms = Json.createArrayBuilder();
            for (Mismatch m : shown) {
                ms.add(Json.createObjectBuilder().add("kind", m.kind().name()).add("request_id", m.requestId())
                        .add("line", m.line()).add("field", m.field()).add("expected", m.expected())
                        .add("actual", m.actual()));
            }
            JsonObjectBuilder o = Json.createObjectBuilder().add("file", file.toString()).add("to", to)
                    .add("session_id", rec.info().sessionId()).add("sent", r.sent()).add("expected", c.expected())
                    .add("received", c.received()).add("matched", c.matched()).add("ok", c.ok())
                    .add("mismatch_count", c.mismatches().size()).add("mismatches", ms);
            System.out.println(o.build());
            return;
        }
        System.out.println((c.ok() ? "ok" : "MISMATCH") + ": " + r.sent() + " message(s) sent, " + c.expected()
                + " repl(ies) expected, " + c.received() + " received, " + c.matched() + " equal, "
                + c.mismatches().size() + " difference(s)");
        for (Mismatch m : shown) {
            System.out.println("  " + m.describe());
        }
        if (shown.size() < c.mismatches().size()) {
            System.out.println("  ... " + (c.mismatches().size() - shown.size()) + " more");
        }
    }
}
