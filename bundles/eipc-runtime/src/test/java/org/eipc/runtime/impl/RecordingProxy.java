package org.eipc.runtime.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy that forwards both directions and records what each client connection sent, so a test can take a
 * frame from one session and inject it into another (what an on-path attacker can do).
 */
final class RecordingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<ByteArrayOutputStream> recorded = new ArrayList<>();
    private final List<OutputStream> toServer = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean paused;

    RecordingProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI address() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket c = server.accept();
                Socket s = new Socket(target.getHost(), target.getPort());
                ByteArrayOutputStream rec = new ByteArrayOutputStream();
                OutputStream up = s.getOutputStream();
                synchronized (this) {
                    sockets.add(c);
                    sockets.add(s);
                    recorded.add(rec);
                    toServer.add(up);
                }
                pump(c.getInputStream(), up, rec);
                pump(s.getInputStream(), c.getOutputStream(), null);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(InputStream in, OutputStream out, ByteArrayOutputStream rec) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    while (paused) {
                        Thread.sleep(5); // a silent network: bytes are held, nothing is closed
                    }
                    synchronized (out) {
                        out.write(buf, 0, n);
                    }
                    if (rec != null) {
                        synchronized (rec) {
                            rec.write(buf, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                // connection ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                while (paused) {
                    Thread.sleep(5); // a silent network does not carry the close either
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                out.close();
            } catch (IOException e) {
                // ignore
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Holds every byte in both directions (true) or forwards again (false), like a network that goes silent. */
    void paused(boolean p) {
        this.paused = p;
    }

    /** What client connection {@code i} sent so far. */
    synchronized byte[] recorded(int i) {
        ByteArrayOutputStream rec = recorded.get(i);
        synchronized (rec) {
            return rec.toByteArray();
        }
    }

    /** Writes bytes to the server as if client connection {@code i} had sent them. */
    void inject(int i, byte[] bytes) throws IOException {
        OutputStream out;
        synchronized (this) {
            out = toServer.get(i);
        }
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
