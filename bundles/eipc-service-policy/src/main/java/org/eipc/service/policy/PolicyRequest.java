package org.eipc.service.policy;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

import org.eipc.api.MessageType;

/**
 * The facts a decision is made on, for {@link PolicyService#decide(PolicyRequest)}: the peer (authenticated service
 * id, granted capabilities, Unix uid/gid, TLS principal) and the message (type, route, capability). Immutable; build
 * with {@link #builder(String)}.
 */
public final class PolicyRequest {
    private final String serviceId;
    private final Set<String> peerCapabilities;
    private final OptionalInt uid;
    private final OptionalInt gid;
    private final String principal;
    private final byte typeByte;
    private final String route;
    private final String capability;

    private PolicyRequest(Builder b) {
        this.serviceId = b.serviceId;
        this.peerCapabilities = Set.copyOf(b.peerCapabilities);
        this.uid = b.uid;
        this.gid = b.gid;
        this.principal = b.principal;
        this.typeByte = b.typeByte;
        this.route = b.route;
        this.capability = b.capability;
    }

    /**
     * @param serviceId the peer's authenticated service id
     * @throws NullPointerException when serviceId is null
     */
    public static Builder builder(String serviceId) {
        return new Builder(Objects.requireNonNull(serviceId, "serviceId"));
    }

    public String serviceId() {
        return serviceId;
    }

    public Set<String> peerCapabilities() {
        return peerCapabilities;
    }

    public OptionalInt uid() {
        return uid;
    }

    public OptionalInt gid() {
        return gid;
    }

    public String principal() {
        return principal;
    }

    /** The message type's wire byte. */
    public byte typeByte() {
        return typeByte;
    }

    public String route() {
        return route;
    }

    public String capability() {
        return capability;
    }

    @Override
    public String toString() {
        MessageType t = MessageType.fromWire(typeByte);
        return "PolicyRequest[" + serviceId + (uid.isPresent() ? " uid=" + uid.getAsInt() : "") + " type="
                + (t == null ? Integer.toHexString(typeByte & 0xff) : t.wireName()) + " route=" + route
                + " capability=" + capability + "]";
    }

    /** Builds a {@link PolicyRequest}. Defaults: no capabilities, no uid/gid/principal, type intent, no route. */
    public static final class Builder {
        private final String serviceId;
        private Set<String> peerCapabilities = Set.of();
        private OptionalInt uid = OptionalInt.empty();
        private OptionalInt gid = OptionalInt.empty();
        private String principal = "";
        private byte typeByte = MessageType.INTENT.wireByte();
        private String route = "";
        private String capability = "";

        private Builder(String serviceId) {
            this.serviceId = serviceId;
        }

        /** The capabilities the handshake granted the peer. */
        public Builder peerCapabilities(Set<String> v) {
            this.peerCapabilities = Objects.requireNonNull(v, "peerCapabilities");
            return this;
        }

        public Builder uid(int v) {
            this.uid = OptionalInt.of(v);
            return this;
        }

        public Builder gid(int v) {
            this.gid = OptionalInt.of(v);
            return this;
        }

        public Builder principal(String v) {
            this.principal = Objects.requireNonNull(v, "principal");
            return this;
        }

        public Builder type(MessageType v) {
            this.typeByte = v.wireByte();
            return this;
        }

        /** A raw type byte, also one outside the twelve known types. */
        public Builder typeByte(byte v) {
            this.typeByte = v;
            return this;
        }

        /** The header's {@code route}: {@code service/channel} or a dotted name. */
        public Builder route(String v) {
            this.route = Objects.requireNonNull(v, "route");
            return this;
        }

        /** The header's {@code capability}. */
        public Builder capability(String v) {
            this.capability = Objects.requireNonNull(v, "capability");
            return this;
        }

        public PolicyRequest build() {
            return new PolicyRequest(this);
        }
    }
}
