package org.eipc.launcher;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.Callable;

import jakarta.json.Json;

import org.eipc.api.IpcException;
import org.eipc.launcher.net.ClientSession;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eipc ping URI}: round trips. ipcprims uses CONTROL pings; EIPC a request the server answers (a heartbeat
 * in strict mode, an intent, which the reference acknowledges, in compat mode).
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {"Connect to URI, make --count round trips, print each round-trip time and a summary "
                + "(min/p50/p99/max)."})
final class PingCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Parameters(index = "0", paramLabel = "URI", description = "tcp://host:port, tls://host:port, unix:///path, shm:///path.")
    String uri;

    @Option(names = "--count", paramLabel = "N", defaultValue = "4", description = "Round trips (default 4).")
    int count;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new UsageException("--count must be at least 1");
        }
        URI address = Net.address(uri);
        long[] rtts = new long[count];
        try (Net n = new Net(net, System.err); ClientSession s = n.connect(address, null)) {
            for (int i = 0; i < count; i++) {
                rtts[i] = s.ping(net.timeout);
                if (net.json) {
                    System.out.println(Json.createObjectBuilder().add("seq", i + 1).add("rtt_us", micros(rtts[i]))
                            .build());
                } else {
                    System.out.printf("ping %d: %.3f ms%n", i + 1, rtts[i] / 1e6);
                }
            }
            s.finish(net.timeout);
        } catch (IpcException e) {
            net.printError(e);
            throw e;
        }
        long[] sorted = rtts.clone();
        Arrays.sort(sorted);
        long p50 = percentile(sorted, 50);
        long p99 = percentile(sorted, 99);
        if (net.json) {
            System.out.println(Json.createObjectBuilder().add("count", count).add("min_us", micros(sorted[0]))
                    .add("p50_us", micros(p50)).add("p99_us", micros(p99))
                    .add("max_us", micros(sorted[count - 1])).build());
        } else {
            System.out.printf("%d round trips: min %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", count,
                    sorted[0] / 1e6, p50 / 1e6, p99 / 1e6, sorted[count - 1] / 1e6);
        }
        return ExitCodes.SUCCESS;
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
