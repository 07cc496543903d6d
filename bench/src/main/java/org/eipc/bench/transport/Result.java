package org.eipc.bench.transport;

/** The numbers of one kind in one run. */
public final class Result {
    public final Kind kind;
    /** Round trip percentiles in microseconds. */
    public double p50;
    public double p90;
    public double p99;
    public double mean;
    public int samples;
    /** One-way 64 B messages per second. */
    double smallMsgs;
    /** One-way 64 KiB payload gigabytes (1e9 B) per second. */
    double largeGbs;
    /** The same two without frame encoding, MAC or decoding (the transport alone; raw: equal to the above). */
    double smallMsgsBytes;
    double largeGbsBytes;
    /** CPU µs per message of the sending and the receiving process, frames + HMAC (raw: bytes), 64 B and 64 KiB. */
    double smallCpuSender = Double.NaN;
    double smallCpuReceiver = Double.NaN;
    double largeCpuSender = Double.NaN;
    double largeCpuReceiver = Double.NaN;

    public Result(final Kind kind) {
        this.kind = kind;
    }
}
