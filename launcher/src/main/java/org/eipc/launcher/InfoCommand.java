package org.eipc.launcher;

import java.net.URI;
import java.util.concurrent.Callable;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eipc.api.IpcException;
import org.eipc.launcher.net.ClientSession;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code eipc info URI}: connect and describe the peer and the session (never keys). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Connect to URI and print the peer identity, protocol, mode, session id, capabilities and the "
                + "key id (a fingerprint, never the key)."})
final class InfoCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", paramLabel = "URI", description = "tcp://host:port, tls://host:port, unix:///path, shm:///path.")
    String uri;

    @Override
    public Integer call() {
        URI address = Net.address(uri);
        try (Net n = new Net(net, System.err); ClientSession s = n.connect(address, null)) {
            JsonObject info = s.info();
            if (net.json) {
                System.out.println(info);
            } else {
                for (var e : info.entrySet()) {
                    JsonValue v = e.getValue();
                    System.out.println(e.getKey() + ": "
                            + (v instanceof JsonString str ? str.getString() : v.toString()));
                }
            }
            s.finish(net.timeout);
            return ExitCodes.SUCCESS;
        } catch (IpcException e) {
            net.printError(e);
            throw e;
        }
    }
}
