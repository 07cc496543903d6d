package org.eipc.launcher;

import java.net.URI;
import java.util.concurrent.Callable;

import jakarta.json.Json;

import org.eipc.api.IpcException;
import org.eipc.launcher.net.ClientSession;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eipc send URI}: connect, handshake, send {@code --count} messages, wait until they are delivered. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Connect to URI, send --count messages and wait until they are acknowledged (EIPC strict) or "
                + "flushed and the session closed in order; exit 0."})
final class SendCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", paramLabel = "URI", description = "tcp://host:port, tls://host:port, unix:///path, shm:///path.")
    String uri;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Messages to send (default 1).")
    long count;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "EIPC message type name or character (default intent); ipcprims: the channel (default 1).")
    String type;

    @Option(names = "--payload", paramLabel = "JSON|@file|-", description = "The payload: text, @file, or - for stdin"
            + " (default {}).")
    String payload;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new UsageException("--count must be at least 1");
        }
        URI address = Net.address(uri);
        byte[] body = NetOptions.payload(payload);
        try (Net n = new Net(net, System.err); ClientSession s = n.connect(address, type)) {
            for (long i = 0; i < count; i++) {
                s.send(type, body, net.timeout);
            }
            s.finish(net.timeout);
            if (net.json) {
                System.out.println(Json.createObjectBuilder().add("sent", count).add("bytes", count * body.length)
                        .add("address", address.toString()).build());
            } else {
                System.out.println("sent " + count + " message(s) to " + address);
            }
            return ExitCodes.SUCCESS;
        } catch (IpcException e) {
            net.printError(e);
            throw e;
        }
    }
}
