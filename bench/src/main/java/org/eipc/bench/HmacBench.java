package org.eipc.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HMAC-SHA256 sign + verify of one payload through the {@code eipc-security-hmac} integrity provider (the
 * {@link FrameMac} the runtime uses), beside the same work done with a bare {@link Mac} in the same run: the
 * provider's overhead is the ratio of the two. The target is at least 80 % of the bare throughput at 64 KiB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-Xms256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HmacBench {
    private static final byte[] KEY = "EIPC-golden-vector-key-32-bytes!".getBytes(StandardCharsets.US_ASCII);

    @Param({"65536", "64"})
    public int size;

    private byte[] data;
    private ByteBuffer dataBuffer;
    private ByteBuffer macBuffer;
    private FrameMac frameMac;
    private Mac bare;
    private byte[] bareMac;

    @Setup
    public void setUp() throws Exception {
        data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 251);
        }
        dataBuffer = ByteBuffer.wrap(data);
        macBuffer = ByteBuffer.allocate(32);
        frameMac = new HmacSha256Provider()
                .newMac(new KeyEntry("bench", new SecretKeySpec(KEY, "HmacSHA256"), Instant.EPOCH, null));
        bare = Mac.getInstance("HmacSHA256");
        bare.init(new SecretKeySpec(KEY, "HmacSHA256"));
        bareMac = new byte[32];
    }

    /** Sign, then verify what was signed: the provider's path. */
    @Benchmark
    public boolean provider() {
        macBuffer.clear();
        frameMac.sign(dataBuffer, macBuffer);
        macBuffer.flip();
        return frameMac.verify(dataBuffer, macBuffer);
    }

    /** The same two MAC computations and a constant-time compare with a bare, reused {@link Mac}. */
    @Benchmark
    public boolean bareMac() throws Exception {
        bare.update(data, 0, data.length);
        bare.doFinal(bareMac, 0);
        bare.update(data, 0, data.length);
        byte[] check = bare.doFinal();
        return MessageDigest.isEqual(bareMac, check);
    }
}
