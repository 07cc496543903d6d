package org.eipc.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eipc echo URI}: a server answering every message with its own payload (same type; with {@code --compat}
 * an intent gets the reference's {@code a} ack and a heartbeat nothing; with {@code --protocol ipcprims} every
 * frame goes back on its channel).
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = {"Serve URI and answer every message with the same payload, until SIGTERM (exit 0) or --count "
                + "messages.", "Logs 'eipc echo: listening on ADDRESS' on stderr when ready."})
final class EchoCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", paramLabel = "URI",
            description = "tcp://host:port, tls://host:port, unix:///path or shm:///path (port 0: any free port).")
    String uri;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N messages (default: run until SIGTERM).")
    long count;

    @Option(names = "--ready-file", paramLabel = "FILE", description = "Write the bound address here when ready.")
    Path readyFile;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0) {
            throw new UsageException("--count must not be negative");
        }
        var address = Net.address(uri);
        try (Net n = new Net(net, System.err)) {
            return new Serving("echo", System.err).run(n, address, count, readyFile, m -> {
                if (net.json) {
                    System.out.println(m.toJson());
                }
                return m.payload();
            });
        }
    }
}
