package org.eipc.transport.nats.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

import io.nats.client.api.StorageType;

/**
 * The durable channels' configuration, checked: the constructor lists every bad key in one
 * {@link ErrorCode#CONFIG_INVALID}.
 */
final class DurableSettings {
    static final String DEFAULT_STREAM = "EIPC_DURABLE";
    static final String DEFAULT_PREFIX = "eipc.durable";
    static final long DEFAULT_MAX_AGE_MILLIS = 7L * 24 * 3600 * 1000;
    static final long DEFAULT_MAX_BYTES = 1L << 30;
    static final long DEFAULT_DUPLICATE_WINDOW_MILLIS = 120_000;
    static final long DEFAULT_PUBLISH_TIMEOUT_MILLIS = 10_000;
    static final long DEFAULT_ACK_WAIT_MILLIS = 30_000;
    static final int DEFAULT_MAX_REDELIVERIES = 5;
    static final long DEFAULT_REDELIVERY_DELAY_MILLIS = 1_000;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    final NatsAddress servers;
    final ChannelNames channels;
    final String stream;
    final String prefix;
    final StorageType storage;
    final int replicas;
    final Duration maxAge;
    final long maxBytes;
    final Duration duplicateWindow;
    final Duration publishTimeout;
    final Duration ackWait;
    final int maxRedeliveries;
    final Duration redeliveryDelay;
    final int maxAckPending;
    final String hostId;

    DurableSettings(DurableConfig c) {
        this(c, null);
    }

    /** @param fallbackHostId the host id when the configuration names none ({@code null}: host name and pid) */
    DurableSettings(DurableConfig c, String fallbackHostId) {
        StringBuilder bad = new StringBuilder();
        NatsAddress address = null;
        try {
            address = NatsAddress.ofServers(c.servers(), "x");
        } catch (IllegalArgumentException | IpcException e) {
            bad.append(" servers=").append(c.servers() == null || c.servers().indexOf('@') >= 0 ? "(hidden)"
                    : c.servers()).append(" is not host:port[,host:port...] without credentials;");
        }
        List<String> patterns = new ArrayList<>();
        String[] configured = c.channels() == null ? new String[0] : c.channels();
        for (String p : configured) {
            String t = p == null ? "" : p.trim();
            if (ChannelNames.isPattern(t)) {
                patterns.add(t);
            } else {
                bad.append(" channels: '").append(p).append("' is not a channel pattern;");
            }
        }
        if (configured.length == 0) {
            bad.append(" channels is empty: name at least one durable channel pattern;");
        }
        if (!ChannelNames.NAME.matcher(c.stream()).matches()) {
            bad.append(" stream=").append(c.stream()).append(" is not 1 to 64 of [A-Za-z0-9_-];");
        }
        if (c.subjectPrefix().length() > 64 || !PREFIX.matcher(c.subjectPrefix()).matches()) {
            bad.append(" subjectPrefix=").append(c.subjectPrefix()).append(" is not subject tokens joined by dots;");
        }
        StorageType st = "file".equalsIgnoreCase(c.storage()) ? StorageType.File
                : "memory".equalsIgnoreCase(c.storage()) ? StorageType.Memory : null;
        if (st == null) {
            bad.append(" storage=").append(c.storage()).append(" is neither file nor memory;");
        }
        check(bad, c.replicas() >= 1 && c.replicas() <= 5, "replicas", c.replicas(), "outside [1, 5]");
        check(bad, c.maxAgeMillis() >= 0, "maxAgeMillis", c.maxAgeMillis(), "negative");
        check(bad, c.maxBytes() == -1 || c.maxBytes() >= (1 << 20), "maxBytes", c.maxBytes(),
                "neither -1 nor at least 1 MiB");
        check(bad, c.duplicateWindowMillis() >= 1000 && (c.maxAgeMillis() == 0
                || c.duplicateWindowMillis() <= c.maxAgeMillis()), "duplicateWindowMillis",
                c.duplicateWindowMillis(), "outside [1000, maxAgeMillis]");
        check(bad, c.publishTimeoutMillis() >= 100 && c.publishTimeoutMillis() < c.duplicateWindowMillis(),
                "publishTimeoutMillis", c.publishTimeoutMillis(), "outside [100, duplicateWindowMillis)");
        check(bad, c.ackWaitMillis() >= 100 && c.ackWaitMillis() <= 3_600_000, "ackWaitMillis",
                c.ackWaitMillis(), "outside [100, 3600000]");
        check(bad, c.maxRedeliveries() >= 0 && c.maxRedeliveries() <= 1000, "maxRedeliveries",
                c.maxRedeliveries(), "outside [0, 1000]");
        check(bad, c.redeliveryDelayMillis() >= 0 && c.redeliveryDelayMillis() <= 3_600_000,
                "redeliveryDelayMillis", c.redeliveryDelayMillis(), "outside [0, 3600000]");
        check(bad, c.maxAckPending() >= 1 && c.maxAckPending() <= 10_000, "maxAckPending", c.maxAckPending(),
                "outside [1, 10000]");
        String host = c.hostId() != null && !c.hostId().isEmpty() ? c.hostId()
                : fallbackHostId != null ? fallbackHostId : defaultHostId();
        if (!ChannelNames.NAME.matcher(host).matches()) {
            bad.append(" hostId=").append(host).append(" is not 1 to 64 of [A-Za-z0-9_-];");
        }
        if (bad.length() > 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "invalid durable channels configuration (PID "
                    + JetStreamDurableChannels.PID + "):" + bad);
        }
        this.servers = address;
        this.channels = new ChannelNames(patterns);
        this.stream = c.stream();
        this.prefix = c.subjectPrefix();
        this.storage = st;
        this.replicas = c.replicas();
        this.maxAge = Duration.ofMillis(c.maxAgeMillis());
        this.maxBytes = c.maxBytes();
        this.duplicateWindow = Duration.ofMillis(c.duplicateWindowMillis());
        this.publishTimeout = Duration.ofMillis(c.publishTimeoutMillis());
        this.ackWait = Duration.ofMillis(c.ackWaitMillis());
        this.maxRedeliveries = c.maxRedeliveries();
        this.redeliveryDelay = Duration.ofMillis(c.redeliveryDelayMillis());
        this.maxAckPending = c.maxAckPending();
        this.hostId = host;
    }

    private static void check(StringBuilder bad, boolean ok, String key, long value, String why) {
        if (!ok) {
            bad.append(' ').append(key).append('=').append(value).append(' ').append(why).append(';');
        }
    }

    private static String defaultHostId() {
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    /** The local host name in the characters a host id allows, at most 40 of them. */
    static String hostName() {
        String name;
        try {
            name = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            name = "host";
        }
        name = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    /**
     * The host id kept in {@code file} (the bundle's data area), made once as {@code <host name>-<16 hex>}; null when
     * there is no data area or it cannot be read or written (the caller falls back to host name and pid).
     */
    static String persistentHostId(java.io.File file) {
        if (file == null) {
            return null;
        }
        java.nio.file.Path p = file.toPath();
        try {
            if (java.nio.file.Files.exists(p)) {
                String id = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.US_ASCII).trim();
                if (ChannelNames.NAME.matcher(id).matches()) {
                    return id;
                }
            }
            byte[] r = new byte[8];
            new java.security.SecureRandom().nextBytes(r);
            StringBuilder id = new StringBuilder(hostName()).append('-');
            for (byte b : r) {
                id.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            java.nio.file.Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            java.nio.file.Files.writeString(tmp, id, java.nio.charset.StandardCharsets.US_ASCII);
            java.nio.file.Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id.toString();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The subject of a channel. */
    String subject(String channel) {
        return prefix + "." + channel;
    }

    /** The channel of a subject under the prefix, or {@code null}. */
    String channelOf(String subject) {
        if (subject == null || subject.length() <= prefix.length() + 1 || !subject.startsWith(prefix)
                || subject.charAt(prefix.length()) != '.') {
            return null;
        }
        String channel = subject.substring(prefix.length() + 1);
        return ChannelNames.isChannel(channel) ? channel : null;
    }
}
