package org.eipc.bench.transport;

import org.eipc.spi.transport.Transport;
import org.eipc.transport.shm.impl.ShmTransport;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;

/** What one measurement runs over: an EIPC transport, or a raw blocking-socket baseline. */
public enum Kind {
    RAW_TCP("raw-tcp", true),
    TCP("tcp", false),
    RAW_UNIX("raw-unix", true),
    UNIX("unix", false),
    SHM("shm", false);

    public final String label;
    public final boolean raw;

    Kind(final String label, final boolean raw) {
        this.label = label;
        this.raw = raw;
    }

    public static Kind of(final String label) {
        for (Kind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind=" + label + " (tcp, unix, shm, raw-tcp, raw-unix)");
    }

    /** A transport with its configuration defaults (the public no-argument constructors). */
    public Transport newTransport() {
        switch (this) {
            case TCP:
                return new TcpTransport();
            case UNIX:
                return new UnixTransport();
            case SHM:
                return new ShmTransport();
            default:
                throw new IllegalStateException(label + " is a raw socket, not a transport");
        }
    }

    /** The raw socket a transport is compared with: TCP for tcp, the Unix domain socket for unix and shm. */
    Kind baseline() {
        return this == TCP || this == RAW_TCP ? RAW_TCP : RAW_UNIX;
    }
}
