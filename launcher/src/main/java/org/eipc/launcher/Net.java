package org.eipc.launcher;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.launcher.decode.KeyOptions;
import org.eipc.launcher.net.Addresses;
import org.eipc.launcher.net.ClientSession;
import org.eipc.launcher.net.EipcSessions;
import org.eipc.launcher.net.IpcprimsSessions;
import org.eipc.launcher.net.MessageServer;
import org.eipc.launcher.net.Transports;
import org.eipc.runtime.EndpointOptions;
import org.eipc.launcher.net.CliRuntime;
import org.eipc.runtime.EipcRuntime;

/**
 * What one run of a network command holds open (transports, runtime, timer), built from its {@link NetOptions}
 * and closed when the command ends.
 */
final class Net implements AutoCloseable {
    private final NetOptions options;
    private final PrintStream log;
    private final Transports transports = new Transports();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eipc-cli-timer");
        t.setDaemon(true);
        return t;
    });
    private CliRuntime runtime;
    private String keyId = "";

    Net(NetOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
        if (options.protocol == NetOptions.Protocol.ipcprims && (options.key != null || options.compat)) {
            log.println("eipc: ipcprims has no HMAC key and no compat mode; --key-* and --compat are ignored");
        }
    }

    /** Parses the address (exit 2 when malformed). */
    static URI address(String text) {
        return Addresses.parse(text);
    }

    ClientSession connect(URI address, String type) {
        if (options.protocol == NetOptions.Protocol.ipcprims) {
            return IpcprimsSessions.connect(transports.forAddress(address), address, type, options.timeout, timer);
        }
        EipcSessions.type(type, null); // a bad --type is a usage error before connecting
        return EipcSessions.connect(runtime(address), address, endpointOptions("eipc-cli"), keyId, options.timeout,
                log);
    }

    MessageServer listen(URI address, MessageServer.Handler handler) {
        if (options.protocol == NetOptions.Protocol.ipcprims) {
            return IpcprimsSessions.listen(transports.forAddress(address), address, handler, timer, log);
        }
        return EipcSessions.listen(runtime(address), address, endpointOptions("eipc-server"), handler, log);
    }

    String mode() {
        return options.protocol == NetOptions.Protocol.ipcprims ? "ipcprims"
                : options.compat ? "eipc compat" : "eipc strict";
    }

    private EndpointOptions endpointOptions(String defaultServiceId) {
        return endpointOptions(options, options.serviceId != null ? options.serviceId : defaultServiceId);
    }

    /** The endpoint options of the network commands ({@code --compat}, {@code --grant}, {@code --timeout}). */
    static EndpointOptions endpointOptions(NetOptions net, String serviceId) {
        EndpointOptions.Builder b = EndpointOptions.builder()
                .mode(net.compat ? EndpointOptions.Mode.COMPAT : EndpointOptions.Mode.STRICT).serviceId(serviceId);
        net.grants.forEach((service, caps) -> b.service(service, caps.isBlank() ? List.of()
                : Arrays.stream(caps.split(",")).map(String::strip).filter(c -> !c.isEmpty()).toList()));
        Duration t = net.timeout;
        return b.handshakeTimeout(t).connectTimeout(t).closeDrainTimeout(t).build();
    }

    /**
     * A runtime serving the schemes of {@code addresses}, with the key of the options.
     *
     * @throws IpcException {@code CONFIG_INVALID} (exit 2) when no key was given
     */
    static CliRuntime cliRuntime(NetOptions net, List<URI> addresses) {
        byte[] key = KeyOptions.keyBytes(net.key, NetOptions.envKey());
        if (key == null) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "EIPC needs an HMAC key: --key-file F, env "
                    + "EIPC_HMAC_KEY, or explicitly --key-ascii/--key-hex");
        }
        try {
            return new CliRuntime(addresses, key, KeyOptions.keyId(net.key, key));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private EipcRuntime runtime(URI address) {
        if (runtime == null) {
            runtime = cliRuntime(options, List.of(address));
            keyId = runtime.keyId();
        }
        return runtime.runtime();
    }

    /**
     * Closes the transports first: their connections end while the runtime's timers still run (a session that loses
     * its connection schedules on them), then the runtime and the timer.
     */
    @Override
    public void close() {
        transports.close();
        if (runtime != null) {
            runtime.close();
        }
        timer.shutdownNow();
    }
}
