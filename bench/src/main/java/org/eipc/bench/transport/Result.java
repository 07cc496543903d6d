package org.eipc.bench.transport;

/** The numbers of one kind in one run. */
final class Result {
    final Kind kind;
    /** Round trip percentiles in microseconds. */
    double p50;
    double p90;
    double p99;
    int samples;
    /** One-way 64 B messages per second. */
    double smallMsgs;
    /** One-way 64 KiB payload gigabytes (1e9 B) per second. */
    double largeGbs;
    /** The same two without frame encoding, MAC or decoding (the transport alone; raw: equal to the above). */
    double smallMsgsBytes;
    double largeGbsBytes;

    Result(final Kind kind) {
        this.kind = kind;
    }
}
