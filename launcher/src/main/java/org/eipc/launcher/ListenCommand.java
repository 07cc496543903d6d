package org.eipc.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eipc listen URI}: a server printing every message it receives, answering none. */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Serve URI and print every received message (type, header fields, payload as text or "
                + "base64), until SIGTERM (exit 0) or --count messages.",
            "Logs 'eipc listen: listening on ADDRESS' on stderr when ready."})
final class ListenCommand implements Callable<Integer> {
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
            return new Serving("listen", System.err).run(n, address, count, readyFile, m -> {
                JsonObject o = m.toJson();
                System.out.println(net.json ? o.toString() : human(o));
                System.out.flush();
                return null;
            });
        }
    }

    private static String human(JsonObject o) {
        StringBuilder b = new StringBuilder();
        for (var e : o.entrySet()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            JsonValue v = e.getValue();
            b.append(e.getKey()).append('=').append(v.getValueType() == JsonValue.ValueType.STRING
                    ? ((jakarta.json.JsonString) v).getString() : v.toString());
        }
        return b.toString();
    }
}
