package org.eipc.service.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0): {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, ordered by semver's
 * precedence rules: numbers compare numerically, a pre-release sorts before its release ({@code 1.0.0-rc.1 <
 * 1.0.0}), pre-release identifiers compare numerically when both are numeric, numeric before alphanumeric, otherwise
 * in ASCII order, and a longer list of identifiers wins when all before are equal. Build metadata is kept in the text
 * but ignored by {@link #compareTo} and {@link #equals}. {@code MINOR} and {@code PATCH} may be left out ({@code 2} is
 * {@code 2.0.0}). Immutable.
 */
public final class ServiceVersion implements Comparable<ServiceVersion> {
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d{0,17})(?:\\.(0|[1-9]\\d{0,17}))?(?:\\.(0|[1-9]\\d{0,17}))?"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");
    private static final Pattern NUMERIC = Pattern.compile("0|[1-9]\\d*");

    /** {@code 0.0.0}. */
    public static final ServiceVersion ZERO = parse("0.0.0");

    private final long major;
    private final long minor;
    private final long patch;
    private final List<String> preRelease;
    private final String build;

    private ServiceVersion(long major, long minor, long patch, List<String> preRelease, String build) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.build = build;
    }

    /**
     * @param text a version like {@code 1.4.2}, {@code 2.0.0-rc.1+build.7} or {@code 3}
     * @throws IllegalArgumentException when text is not a semantic version (numbers with leading zeros included)
     */
    public static ServiceVersion parse(String text) {
        var m = text == null ? null : SEMVER.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("version=" + text + " is not a semantic version like 1.2.3 or 1.2.3-rc.1");
        }
        List<String> pre = new ArrayList<>();
        if (m.group(4) != null) {
            for (String id : m.group(4).split("\\.")) {
                if (id.length() > 1 && id.charAt(0) == '0' && NUMERIC.matcher(id.substring(1)).matches()) {
                    throw new IllegalArgumentException("version=" + text + ": numeric identifier " + id
                            + " has a leading zero");
                }
                pre.add(id);
            }
        }
        return new ServiceVersion(Long.parseLong(m.group(1)), number(m.group(2)), number(m.group(3)),
                List.copyOf(pre), m.group(5) == null ? "" : m.group(5));
    }

    private static long number(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    public long patch() {
        return patch;
    }

    /** The pre-release identifiers; empty for a release. */
    public List<String> preRelease() {
        return preRelease;
    }

    /** The build metadata, or {@code ""}. */
    public String build() {
        return build;
    }

    @Override
    public int compareTo(ServiceVersion o) {
        int c = Long.compare(major, o.major);
        c = c != 0 ? c : Long.compare(minor, o.minor);
        c = c != 0 ? c : Long.compare(patch, o.patch);
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty()); // a release sorts after its pre-releases
        }
        for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
            c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean na = NUMERIC.matcher(a).matches();
        boolean nb = NUMERIC.matcher(b).matches();
        if (na && nb) { // no leading zeros: a longer number is larger, whatever its size
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceVersion && compareTo((ServiceVersion) o) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(major, minor, patch, preRelease);
    }

    /** The canonical text: three numbers, pre-release and build as given. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
                + (build.isEmpty() ? "" : "+" + build);
    }
}
