package org.eipc.transport.shm.impl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** {@code shm:///abs/path}: the path is where the side-channel socket lives. */
final class ShmAddress {
    static final String SCHEME = "shm";
    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private ShmAddress() {
    }

    /**
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID} unless the URI is {@code shm:} with an absolute,
     *         normalised path short enough for a Unix domain socket and nothing else
     */
    static Path socketPath(final URI uri) {
        if (uri == null || !SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
            throw invalid(uri, "expected shm:///absolute/path");
        }
        final String authority = uri.getRawAuthority();
        if ((authority != null && !authority.isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(uri, "no host, port, query or fragment allowed");
        }
        final String p = uri.getPath();
        final Path path;
        try {
            path = p == null ? null : Path.of(p);
        } catch (InvalidPathException e) {
            throw invalid(uri, e.getMessage());
        }
        if (path == null || !path.isAbsolute() || !path.normalize().equals(path) || path.getParent() == null
                || path.getFileName() == null) {
            throw invalid(uri, "the path must be absolute and normalised");
        }
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw invalid(uri, "the path is longer than " + MAX_SOCKET_PATH_BYTES + " bytes");
        }
        return path;
    }

    static IpcException invalid(final URI uri, final String why) {
        return new IpcException(ErrorCode.ADDRESS_INVALID, "invalid shm address " + uri + ": " + why);
    }
}
