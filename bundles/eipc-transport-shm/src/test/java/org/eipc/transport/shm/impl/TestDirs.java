package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Short socket directories (sun_path is 107 bytes) and a way to list leftover ring files. */
final class TestDirs {
    private TestDirs() {
    }

    /** A fresh directory under /tmp with a short name. */
    static Path newDir() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "eshm");
    }

    static URI address(final Path dir, final String name) {
        return URI.create("shm://" + dir.resolve(name));
    }

    /** A supplier of fresh addresses under {@code dir}. */
    static java.util.function.Supplier<URI> addresses(final Path dir) {
        final AtomicInteger n = new AtomicInteger();
        return () -> address(dir, "s" + n.incrementAndGet());
    }

    /** Ring files (of any connection) present in {@code dir}. */
    static long ringFiles(final Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(RingFile.PREFIX)).count();
        }
    }

    static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
