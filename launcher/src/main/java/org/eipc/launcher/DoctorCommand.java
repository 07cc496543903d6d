package org.eipc.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import jakarta.json.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eipc doctor}: checks that this machine can run EIPC and prints a pass/fail/skip line per check. Exit 0
 * when nothing failed, 1 otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the environment: Java version, socket directory, key file, shared memory, Unix domain "
                + "sockets and loopback TCP.", "Exit 0 when every check passes (or is skipped), 1 when any fails."})
final class DoctorCommand implements Callable<Integer> {
    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    /** The Unix transport binds in a private directory first: {@code DIR/.eipc-<random>/s}. */
    private static final int PRIVATE_BIND_SUFFIX = "/.eipc-0000000000000000000/s".length();
    /** Two rings of the shm transport's default size (1 MiB each) and headroom. */
    private static final long MIN_SHM_FREE = 8L << 20;

    @Option(names = "--socket-dir", paramLabel = "DIR",
            description = "Where sockets will live (default: $XDG_RUNTIME_DIR, else java.io.tmpdir).")
    Path socketDir;

    @Option(names = "--key-file", paramLabel = "F", description = "A key file to check (exists, owner-only).")
    Path keyFile;

    @Option(names = "--shm-dir", paramLabel = "DIR", description = "The shm ring directory (default /dev/shm).")
    Path shmDir;

    @Option(names = "--json", description = "One JSON object per check, then a summary object.")
    boolean json;

    private record Check(String name, String status, String detail) {
    }

    @Override
    public Integer call() {
        Path dir = socketDir != null ? socketDir : defaultSocketDir();
        List<Check> checks = new ArrayList<>();
        checks.add(java());
        checks.add(socketDir(dir));
        checks.add(keyFile());
        checks.add(shm(dir));
        checks.add(unixSockets(dir));
        checks.add(loopbackTcp());
        long failed = checks.stream().filter(c -> c.status.equals("fail")).count();
        for (Check c : checks) {
            if (json) {
                System.out.println(Json.createObjectBuilder().add("check", c.name).add("status", c.status)
                        .add("detail", c.detail).build());
            } else {
                System.out.printf("[%s] %-14s %s%n", c.status.toUpperCase(java.util.Locale.ROOT), c.name, c.detail);
            }
        }
        if (json) {
            System.out.println(Json.createObjectBuilder().add("summary", failed == 0 ? "pass" : "fail")
                    .add("checks", checks.size()).add("failed", failed).build());
        } else {
            System.out.println(failed == 0 ? "all checks passed" : failed + " check(s) failed");
        }
        return failed == 0 ? ExitCodes.SUCCESS : ExitCodes.FAILURE;
    }

    private static Path defaultSocketDir() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return Path.of(xdg != null && !xdg.isEmpty() ? xdg : System.getProperty("java.io.tmpdir"));
    }

    private static Check java() {
        Runtime.Version v = Runtime.version();
        return new Check("java", v.feature() >= 17 ? "pass" : "fail", "Java " + v + " (17 or newer needed)");
    }

    private static Check socketDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new Check("socket_dir", "fail", dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            return new Check("socket_dir", "fail", dir + " is not writable");
        }
        int len = dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
        if (len + PRIVATE_BIND_SUFFIX > MAX_SOCKET_PATH_BYTES) {
            return new Check("socket_dir", "fail", dir + " is " + len + " bytes long; socket paths in it (and the "
                    + "private bind path) must fit " + MAX_SOCKET_PATH_BYTES + " bytes");
        }
        return new Check("socket_dir", "pass", dir.toAbsolutePath() + " exists, is writable, leaves "
                + (MAX_SOCKET_PATH_BYTES - len - 1) + " bytes for socket names");
    }

    private Check keyFile() {
        if (keyFile == null) {
            return new Check("key_file", "skip", System.getenv("EIPC_HMAC_KEY") != null
                    ? "no --key-file; EIPC_HMAC_KEY is set" : "no --key-file given");
        }
        if (!Files.isRegularFile(keyFile)) {
            return new Check("key_file", "fail", keyFile + " does not exist or is not a regular file");
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(keyFile, LinkOption.NOFOLLOW_LINKS);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                    || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                return new Check("key_file", "fail", keyFile + " has mode " + PosixFilePermissions.toString(p)
                        + "; group and others must have no access (chmod 600)");
            }
            if (Files.size(keyFile) == 0) {
                return new Check("key_file", "fail", keyFile + " is empty");
            }
            return new Check("key_file", "pass", keyFile + " is owner-only (" + PosixFilePermissions.toString(p) + ")");
        } catch (IOException | UnsupportedOperationException e) {
            return new Check("key_file", "fail", "cannot read the permissions of " + keyFile + ": " + e);
        }
    }

    private Check shm(Path socketDirectory) {
        Path dir = shmDir != null ? shmDir : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : socketDirectory;
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return new Check("shm", "fail", dir + " is not a writable directory");
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            Path probe = Files.createTempFile(dir, ".eipc-doctor-", ".ring",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.delete(probe);
            if (free < MIN_SHM_FREE) {
                return new Check("shm", "fail", dir + " has " + (free >> 20) + " MiB free; " + (MIN_SHM_FREE >> 20)
                        + " MiB needed");
            }
            return new Check("shm", "pass", dir + " is writable, " + (free >> 20) + " MiB free");
        } catch (IOException | UnsupportedOperationException e) {
            return new Check("shm", "fail", "cannot create a file in " + dir + ": " + e);
        }
    }

    private static Check unixSockets(Path dir) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(dir, ".eipc-doctor-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(tmp.resolve("s"));
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(addr);
                try (SocketChannel client = SocketChannel.open(addr); SocketChannel accepted = server.accept()) {
                    return new Check("unix_sockets", "pass", "bound and connected " + addr.getPath());
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return new Check("unix_sockets", "fail", "cannot bind and connect a socket in " + dir + ": " + e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp.resolve("s"));
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover empty temp directory is harmless
                }
            }
        }
    }

    private static Check loopbackTcp() {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel accepted = server.accept()) {
                return new Check("loopback_tcp", "pass", "bound and connected " + server.getLocalAddress());
            }
        } catch (IOException e) {
            return new Check("loopback_tcp", "fail", "cannot bind and connect on loopback: " + e);
        }
    }
}
