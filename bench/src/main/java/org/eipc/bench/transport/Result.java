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
    /** Read and write system calls per 64 B message of the sending and the receiving process, frames + HMAC. */
    double smallSenderWrites = Double.NaN;
    double smallSenderReads = Double.NaN;
    double smallReceiverWrites = Double.NaN;
    double smallReceiverReads = Double.NaN;
    /** CPU µs per 64 B message (frames + HMAC) by thread group ({@code CpuMeter.Group}) of each process. */
    double[] smallSenderBy;
    double[] smallReceiverBy;

    public Result(final Kind kind) {
        this.kind = kind;
    }
}
