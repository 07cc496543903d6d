package org.eipc.launcher;

import java.net.URI;
import java.util.concurrent.Callable;

import org.eipc.api.IpcException;
import org.eipc.launcher.net.ClientSession;
import org.eipc.launcher.net.Received;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eipc request URI}: one request, its reply printed. */
@Command(name = "request", mixinStandardHelpOptions = true,
        description = {"Connect to URI, send one request and print the reply.",
            "No reply within --timeout: exit 124. With --json a failure is printed as a JSON error object."})
final class RequestCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", paramLabel = "URI", description = "tcp://host:port, tls://host:port, unix:///path, shm:///path.")
    String uri;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "EIPC message type name or character (default intent); ipcprims: the channel (default 1).")
    String type;

    @Option(names = "--payload", paramLabel = "JSON|@file|-", description = "The payload: text, @file, or - for stdin"
            + " (default {}).")
    String payload;

    @Override
    public Integer call() {
        URI address = Net.address(uri);
        byte[] body = NetOptions.payload(payload);
        try (Net n = new Net(net, System.err); ClientSession s = n.connect(address, type)) {
            Received reply = s.request(type, body, net.timeout);
            if (net.json) {
                System.out.println(reply.toJson());
            } else {
                String text = Received.utf8(reply.payload());
                System.out.println(text != null ? text : reply.toJson().getString("payload_base64"));
            }
            s.finish(net.timeout);
            return ExitCodes.SUCCESS;
        } catch (IpcException e) {
            net.printError(e);
            throw e;
        }
    }
}
