package org.eipc.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eipc.api.IpcException;
import org.eipc.launcher.net.CliRuntime;
import org.eipc.launcher.record.RecordingProxy;
import org.eipc.runtime.EndpointOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eipc record --listen URI --to URI --out FILE}: a recording proxy. A client connects to {@code --listen}
 * instead of the host; the proxy opens its own session to the host at {@code --to} (as the client's service id, or
 * {@code --service-id}), forwards every message both ways and writes both directions to {@code --out} in the
 * recording format that {@code eipc replay} reads. It stops when the recorded session ends (exit 0), on SIGTERM
 * (exit 0, the file ended properly), or with exit 3 when the host cannot be reached.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Record a session: serve --listen, forward the first client's session to the host at --to, "
                + "and write every message of both directions to --out (JSON Lines, see 'eipc replay').",
            "Logs 'eipc record: listening on ADDRESS' on stderr when ready; stops when the session ends."})
final class RecordCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Option(names = "--listen", required = true, paramLabel = "URI",
            description = "Where clients connect instead of the host (port 0: any free port).")
    String listen;

    @Option(names = "--to", required = true, paramLabel = "URI", description = "The host to forward to.")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The recording to create (owner-only; an existing file is never overwritten).")
    Path out;

    @Option(names = "--ready-file", paramLabel = "FILE", description = "Write the bound address here when ready.")
    Path readyFile;

    @Override
    public Integer call() throws InterruptedException {
        eipcOnly(net);
        URI listenAt = Net.address(listen);
        URI host = Net.address(to);
        if (Files.exists(out)) {
            throw new UsageException("--out " + out + " exists; a recording is never overwritten");
        }
        try (CliRuntime rt = runtime(net, List.of(listenAt, host))) {
            RecordingProxy proxy = new RecordingProxy(rt.runtime(), host,
                    client -> endpointOptions(net, net.serviceId != null ? net.serviceId : client), net.timeout, out,
                    System.err);
            AtomicBoolean finished = new AtomicBoolean();
            URI bound = proxy.listen(listenAt, endpointOptions(net, "eipc-record"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (finished.compareAndSet(false, true)) {
                    System.err.println("eipc record: stopping");
                    proxy.end("stopped");
                    proxy.close();
                    System.err.flush();
                    Runtime.getRuntime().halt(ExitCodes.SUCCESS); // SIGTERM is the normal way to stop
                }
            }, "eipc-record-shutdown"));
            System.err.println("eipc record: listening on " + bound + " (" + (net.compat ? "eipc compat"
                    : "eipc strict") + "), forwarding to " + host);
            if (readyFile != null) {
                writeReadyFile(readyFile, bound);
            }
            proxy.await();
            if (!finished.compareAndSet(false, true)) {
                Thread.currentThread().join(); // the shutdown hook is ending the process
            }
            proxy.close();
            IpcException failure = proxy.failure();
            if (failure != null) {
                net.printError(failure);
                throw failure;
            }
            return ExitCodes.SUCCESS;
        }
    }

    /** Record and replay speak EIPC only. */
    static void eipcOnly(NetOptions net) {
        if (net.protocol != NetOptions.Protocol.eipc) {
            throw new UsageException("record and replay support --protocol eipc only");
        }
    }

    static CliRuntime runtime(NetOptions net, List<URI> addresses) {
        return Net.cliRuntime(net, addresses);
    }

    static EndpointOptions endpointOptions(NetOptions net, String serviceId) {
        return Net.endpointOptions(net, serviceId);
    }

    private static void writeReadyFile(Path file, URI bound) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".ready-", ".tmp");
            Files.writeString(tmp, bound + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UsageException("cannot write --ready-file " + file + ": " + e.getMessage());
        }
    }
}
