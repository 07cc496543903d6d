package org.eipc.keyring.file.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/** Writes key files the way an operator should: private from the start, renamed into place. */
final class KeyFiles {
    private KeyFiles() {
    }

    static Path privateDir(Path parent, String name) throws IOException {
        return Files.createDirectory(parent.resolve(name), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    static Path write(Path dir, String id, byte[] content, Instant modified) throws IOException {
        return write(dir, id, content, modified, "rw-------");
    }

    static Path write(Path dir, String id, byte[] content, Instant modified, String perms) throws IOException {
        Path tmp = dir.resolve("." + id + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(perms));
        Files.setLastModifiedTime(tmp, FileTime.from(modified));
        return Files.move(tmp, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
