package org.eipc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.eipc.launcher.net.MessageServer;
import org.eipc.launcher.net.Received;

/**
 * Runs a server command ({@code echo}, {@code listen}) until SIGTERM (exit 0) or {@code --count} messages: logs
 * {@code listening on ADDRESS} on stderr, writes the address to the {@code --ready-file} (atomically) and stops
 * cleanly.
 */
final class Serving {
    private final String command;
    private final PrintStream err;

    Serving(String command, PrintStream err) {
        this.command = command;
        this.err = err;
    }

    /**
     * @param perMessage called for each message, returns the reply (or null)
     * @param count stop after this many messages (0: never)
     */
    int run(Net net, URI address, long count, Path readyFile, Function<Received, byte[]> perMessage)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong seen = new AtomicLong();
        MessageServer server = net.listen(address, m -> {
            byte[] reply = perMessage.apply(m);
            if (count > 0 && seen.incrementAndGet() >= count) {
                done.countDown();
            }
            return reply;
        });
        AtomicBoolean finished = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.compareAndSet(false, true)) {
                err.println("eipc " + command + ": stopping");
                server.close();
                net.close();
                System.out.flush();
                err.flush();
                // SIGTERM is the normal way to stop a server: report success, not the JVM's 128+signal
                Runtime.getRuntime().halt(ExitCodes.SUCCESS);
            }
        }, "eipc-" + command + "-shutdown"));
        URI bound = server.address();
        err.println("eipc " + command + ": listening on " + bound + " (" + net.mode() + ")");
        if (readyFile != null) {
            writeReadyFile(readyFile, bound); // after the log line: a ready file means the line is there too
        }
        done.await();
        if (finished.compareAndSet(false, true)) {
            err.println("eipc " + command + ": " + count + " message(s) handled, stopping");
            server.close();
        }
        return ExitCodes.SUCCESS;
    }

    private void writeReadyFile(Path file, URI bound) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".ready-", ".tmp");
            Files.writeString(tmp, bound + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UsageException("cannot write --ready-file " + file + ": " + e.getMessage());
        }
    }
}
