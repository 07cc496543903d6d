package org.eipc.launcher.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * The addresses the network commands accept: {@code tcp://host:port}, {@code tls://host:port},
 * {@code unix:///abs/path} and {@code shm:///abs/path}. A malformed one is {@link ErrorCode#ADDRESS_INVALID}, which
 * the launcher reports as a usage error.
 */
public final class Addresses {
    /** The schemes the distribution has a transport for. */
    public static final Set<String> SCHEMES = Set.of("tcp", "tls", "unix", "shm");
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private Addresses() {
    }

    /** Parses and checks {@code text}. */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || uri.isOpaque()) {
            throw invalid(text, "expected tcp://host:port, tls://host:port, unix:///path or shm:///path");
        }
        if (scheme.equals("tcp") || scheme.equals("tls")) {
            if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
                throw invalid(text, "expected " + scheme + "://host:port");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
                throw invalid(text, "no path or query allowed");
            }
        } else {
            String path = uri.getPath();
            if (uri.getRawAuthority() != null || path == null || !path.startsWith("/") || path.endsWith("/")) {
                throw invalid(text, "expected " + scheme + ":///absolute/path");
            }
            if (path.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                throw invalid(text, "the socket path is longer than " + MAX_SOCKET_PATH_BYTES + " bytes");
            }
        }
        return uri;
    }

    private static IpcException invalid(String text, String why) {
        return new IpcException(ErrorCode.ADDRESS_INVALID, "invalid address '" + text + "': " + why);
    }
}
