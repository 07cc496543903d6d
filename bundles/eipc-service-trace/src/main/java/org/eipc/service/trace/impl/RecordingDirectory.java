package org.eipc.service.trace.impl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eipc.service.trace.record.RecordWriter;
import org.eipc.service.trace.record.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings directory: creates owner-only files named after the session and keeps at most {@code maxFiles}
 * of them. Used by the writer thread only.
 */
final class RecordingDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingDirectory.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final int maxFiles;
    private final boolean posix;

    /** @throws IOException when the directory cannot be created */
    RecordingDirectory(Path dir, int maxFiles) throws IOException {
        this.dir = dir;
        this.maxFiles = maxFiles;
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attrs("rwx------"));
        }
    }

    Path path() {
        return dir;
    }

    /** A new recording file and its writer. */
    record Opened(Path file, RecordWriter writer) {
    }

    /**
     * Creates the file of a session and writes its first line.
     *
     * @param open names of files still being written (never deleted to make room)
     */
    Opened create(SessionInfo info, Set<String> open) throws IOException {
        makeRoom(open);
        String name = STAMP.format(info.started()) + "-" + safe(info.peerServiceId()) + "-" + safe(info.sessionId());
        Path file = dir.resolve(name + SUFFIX);
        for (int n = 2; Files.exists(file); n++) {
            file = dir.resolve(name + "-" + n + SUFFIX);
        }
        RecordWriter w = new RecordWriter(Files.newOutputStream(Files.createFile(file, attrs("rw-------")),
                StandardOpenOption.WRITE));
        w.session(info);
        return new Opened(file, w);
    }

    /** Deletes the oldest recordings (not those still open) until a new one fits under {@code maxFiles}. */
    private void makeRoom(Set<String> open) throws IOException {
        if (maxFiles <= 0) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        files.sort(null); // names start with the UTC start time
        int excess = files.size() - (maxFiles - 1);
        for (Path p : files) {
            if (excess <= 0) {
                break;
            }
            if (!open.contains(p.getFileName().toString())) {
                Files.deleteIfExists(p);
                LOG.debug("deleted old recording {}", p);
                excess--;
            }
        }
    }

    /** {@code s} fit for a file name: letters, digits, {@code . _ -}; at most 64 characters. */
    static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.isEmpty() ? "_" : t.length() > 64 ? t.substring(0, 64) : t;
    }

    private FileAttribute<?>[] attrs(String perms) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))}
                : new FileAttribute<?>[0];
    }
}
