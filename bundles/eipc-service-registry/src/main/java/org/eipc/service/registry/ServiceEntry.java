package org.eipc.service.registry;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a service registers: its name, version, the capabilities it offers, the transport URIs it listens on, free
 * properties, and its owner (set by the registry). Immutable; build with {@link #builder(String, ServiceVersion)}.
 */
public final class ServiceEntry {
    private final String name;
    private final ServiceVersion version;
    private final Set<String> capabilities;
    private final List<URI> transports;
    private final Map<String, String> properties;
    private final String owner;

    private ServiceEntry(String name, ServiceVersion version, Set<String> capabilities, List<URI> transports,
            Map<String, String> properties, String owner) {
        this.name = name;
        this.version = version;
        this.capabilities = capabilities;
        this.transports = transports;
        this.properties = properties;
        this.owner = owner;
    }

    /**
     * @param name the service's name, not empty
     * @param version its version
     * @throws IllegalArgumentException when name is empty
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(String name, ServiceVersion version) {
        return new Builder(name, version);
    }

    public String name() {
        return name;
    }

    public ServiceVersion version() {
        return version;
    }

    /** The capabilities the service offers, in the order given. */
    public Set<String> capabilities() {
        return capabilities;
    }

    /** Where the service listens, e.g. {@code unix:///run/eipc/ui.sock}. */
    public List<URI> transports() {
        return transports;
    }

    /** Free properties, sorted by key. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Who registered the entry: {@code bundle:<id>/<symbolic name>} or {@code session:<session id>}; {@code ""} until
     * registered.
     */
    public String owner() {
        return owner;
    }

    /** The same entry with another owner; the registry uses it when it takes an entry. */
    public ServiceEntry withOwner(String newOwner) {
        return new ServiceEntry(name, version, capabilities, transports, properties,
                Objects.requireNonNull(newOwner, "owner"));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ServiceEntry)) {
            return false;
        }
        ServiceEntry e = (ServiceEntry) o;
        return name.equals(e.name) && version.equals(e.version) && version.build().equals(e.version.build())
                && capabilities.equals(e.capabilities) && transports.equals(e.transports)
                && properties.equals(e.properties) && owner.equals(e.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, capabilities, transports, properties, owner);
    }

    @Override
    public String toString() {
        return "ServiceEntry[" + name + " " + version + " capabilities=" + capabilities + " transports=" + transports
                + (owner.isEmpty() ? "" : " owner=" + owner) + "]";
    }

    /** Builds a {@link ServiceEntry}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final ServiceVersion version;
        private final Set<String> capabilities = new LinkedHashSet<>();
        private final List<URI> transports = new java.util.ArrayList<>();
        private final Map<String, String> properties = new TreeMap<>();

        private Builder(String name, ServiceVersion version) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name must not be empty");
            }
            this.name = name;
            this.version = Objects.requireNonNull(version, "version");
        }

        /** @throws IllegalArgumentException when a capability is empty */
        public Builder capability(String... caps) {
            for (String c : caps) {
                if (Objects.requireNonNull(c, "capability").isEmpty()) {
                    throw new IllegalArgumentException("capability must not be empty");
                }
                capabilities.add(c);
            }
            return this;
        }

        public Builder transport(URI... uris) {
            for (URI u : uris) {
                transports.add(Objects.requireNonNull(u, "transport"));
            }
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public ServiceEntry build() {
            return new ServiceEntry(name, version, Collections.unmodifiableSet(new LinkedHashSet<>(capabilities)),
                    List.copyOf(transports), Collections.unmodifiableMap(new TreeMap<>(properties)), "");
        }
    }
}
