package org.eipc.bench.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eipc.bench.transport.Kind;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.Transport;

/**
 * The child of the ablation runs: a bare transport listener whose connections answer every signed frame with a
 * signed frame ({@link FrameEcho}), on the I/O thread or after a hand-off to a fixed pool of two.
 *
 * <pre>
 * AblationPeer tcp|unix DIR io|handoff
 * </pre>
 */
public final class AblationPeer {
    private AblationPeer() {
    }

    public static void main(final String[] args) throws Exception {
        final Kind kind = Kind.of(args[0]);
        final Path dir = Path.of(args[1]);
        final ExecutorService pool = "handoff".equals(args[2]) ? Executors.newFixedThreadPool(2) : null;
        final Transport transport = kind.newTransport();
        try {
            final URI address = kind == Kind.TCP ? URI.create("tcp://127.0.0.1:0")
                    : URI.create("unix://" + dir.resolve("ab.sock"));
            final java.util.List<FrameEcho> echoes = new java.util.concurrent.CopyOnWriteArrayList<>();
            final java.util.List<org.eipc.spi.transport.Connection> conns = new java.util.concurrent.CopyOnWriteArrayList<>();
            final Listener listener = transport.listen(address, c -> {
                final FrameEcho e = new FrameEcho(pool);
                echoes.add(e);
                conns.add(c);
                return e;
            });
            final Thread watch = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < echoes.size(); k++) {
                        System.err.println("ablation peer: connection " + k + " frames " + echoes.get(k).frames
                                + " sent " + echoes.get(k).sent + " pending " + conns.get(k).pendingBytes());
                    }
                }
            });
            watch.setDaemon(true);
            watch.start();
            System.out.println("READY " + listener.address());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // run until the parent closes our stdin
            }
        } finally {
            ((AutoCloseable) transport).close();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
