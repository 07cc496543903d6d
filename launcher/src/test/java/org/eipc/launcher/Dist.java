package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The assembled distribution ({@code target/eipc}) and how to run it as a process, for the ITs. */
final class Dist {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static Path home() {
        Path home = Path.of(System.getProperty("eipc.dist", "target/eipc"));
        assertTrue(Files.isDirectory(home.resolve("lib")), "no distribution at " + home.toAbsolutePath());
        return home;
    }

    static Path vectors() {
        return Path.of(System.getProperty("eipc.vectors", "src/test/resources/vectors"));
    }

    /** A running (or finished) eipc process whose stdout and stderr go to files. */
    static final class Run {
        final Process process;
        final Path out;
        final Path err;

        Run(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        String out() {
            return read(out);
        }

        String err() {
            return read(err);
        }

        List<String> outLines() {
            return out().lines().toList();
        }

        int exitCode() throws InterruptedException {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("eipc did not finish within " + TIMEOUT + "\nstdout:\n" + out() + "\nstderr:\n" + err());
            }
            return process.exitValue();
        }

        /** Polls stdout until a line matches. */
        String awaitLine(Predicate<String> p, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : outLines()) {
                    if (p.test(line)) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
            return fail("no " + what + " in the output (alive=" + process.isAlive() + ")\nstdout:\n" + out()
                    + "\nstderr:\n" + err());
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        }
    }

    /** Starts {@code eipc args...} with {@code cwd} as working directory. */
    static Run start(Path cwd, String... args) throws IOException {
        return start(cwd, java.util.Map.of(), args);
    }

    /** Starts {@code eipc args...} with {@code cwd} as working directory and {@code env} added to the environment. */
    static Run start(Path cwd, java.util.Map<String, String> env, String... args) throws IOException {
        Path home = home().toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", home.resolve("lib") + "/*", "org.eipc.launcher.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(cwd, "stdout", ".txt");
        Path err = Files.createTempFile(cwd, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("EIPC_HMAC_KEY");
        pb.environment().remove("EIPC_HOME");
        pb.environment().putAll(env);
        return new Run(pb.start(), out, err);
    }

    /** Runs {@code eipc args...} to completion. */
    static Run run(Path cwd, String... args) throws IOException, InterruptedException {
        Run r = start(cwd, args);
        r.exitCode();
        return r;
    }

    private Dist() {
    }
}
