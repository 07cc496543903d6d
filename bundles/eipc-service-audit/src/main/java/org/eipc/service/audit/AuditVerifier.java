package org.eipc.service.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eipc.service.audit.VerificationResult.Problem;
import org.eipc.service.audit.impl.AuditLines;
import org.eipc.service.audit.impl.AuditLines.Parsed;

/**
 * Checks the hash chain of audit files (format: see the package comment) and names the first bad line and why:
 * a changed, removed, inserted or reordered line, or a truncated chain. Needs nothing but the JDK and this
 * bundle's classes, so it also runs on a flat class path (the {@code eipc audit verify} command). Thread-safe.
 */
public final class AuditVerifier {
    private static final Pattern ROTATED_SUFFIX = Pattern.compile("\\.\\d{6,}");

    private AuditVerifier() {
    }

    /**
     * Verifies one chain: the rotated files in order, oldest first, then {@code file}.
     *
     * @param file the newest file (the one being written)
     * @param rotatedFiles earlier files of the same chain, oldest first; may be empty, in which case only the
     *        links inside {@code file} are checked
     */
    public static VerificationResult verify(final Path file, final Path... rotatedFiles) {
        final List<Path> chain = new ArrayList<>(Arrays.asList(rotatedFiles));
        chain.add(file);
        return verify(chain);
    }

    /**
     * The chain of a log file as the audit log writes it: its rotated files {@code <file>.NNNNNN} (six or more
     * digits, oldest = lowest number), then the file itself.
     *
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> chainOf(final Path file) throws IOException {
        final Path dir = file.toAbsolutePath().getParent();
        final String name = file.getFileName().toString();
        final List<Path> rotated = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                final String n = p.getFileName().toString();
                return n.startsWith(name) && ROTATED_SUFFIX.matcher(n.substring(name.length())).matches();
            }).forEach(rotated::add);
        }
        rotated.sort((a, b) -> Long.compare(index(a, name), index(b, name)));
        rotated.add(file);
        return rotated;
    }

    private static long index(final Path p, final String name) {
        return Long.parseLong(p.getFileName().toString().substring(name.length() + 1));
    }

    /** Verifies the files as one chain, in the order given (oldest first). */
    public static VerificationResult verify(final List<Path> files) {
        final Walk walk = new Walk();
        for (Path f : files) {
            final VerificationResult bad = walk.file(f);
            if (bad != null) {
                return bad;
            }
        }
        return new VerificationResult(Problem.NONE, null, 0, "", walk.checked, walk.lastSeq, walk.lastHash);
    }

    /** The state carried from one file to the next. */
    private static final class Walk {
        long checked;
        long lastSeq;
        String lastHash = "";
        boolean any;

        VerificationResult file(final Path file) {
            final List<byte[]> lines;
            try {
                lines = split(Files.readAllBytes(file));
            } catch (IOException e) {
                return bad(Problem.MALFORMED, file, 0, "cannot read: " + e);
            }
            final int n = lines.size() - 1; // the element after the last newline
            if (lines.get(n).length > 0) {
                return bad(Problem.TRUNCATED, file, n + 1, "the last line is incomplete (no newline at its end)");
            }
            if (n == 0) {
                return bad(Problem.TRUNCATED, file, 1, "the file is empty; every audit file starts with a genesis line");
            }
            final Parsed[] p = new Parsed[n];
            for (int i = 0; i < n; i++) {
                p[i] = AuditLines.parse(lines.get(i));
            }
            final VerificationResult first = genesis(file, p[0]);
            if (first != null) {
                return first;
            }
            for (int k = 1; k < n; k++) {
                final VerificationResult r = link(file, p, k);
                if (r != null) {
                    return r;
                }
            }
            any = true;
            checked += n;
            lastSeq = p[n - 1].seq();
            lastHash = p[n - 1].lineHash();
            return null;
        }

        private VerificationResult genesis(final Path file, final Parsed g) {
            if (g == null) {
                return bad(Problem.MALFORMED, file, 1, "not an audit line");
            }
            if (!g.isGenesis()) {
                return bad(Problem.REMOVED, file, 1, "the file does not start with its genesis line: lines before"
                        + " seq " + g.seq() + " were removed");
            }
            if (!g.selfHashOk() || !g.prev().equals(AuditLines.genesisPrev(g.genesis()))) {
                return bad(Problem.CHANGED, file, 1, "the genesis line does not match its hash");
            }
            if (!any) {
                if (AuditLines.ZERO_HASH.equals(g.genesis()) && g.seq() != 1) {
                    return bad(Problem.CHANGED, file, 1, "the first file of a chain starts at seq " + g.seq());
                }
                return null;
            }
            if (g.seq() > lastSeq + 1) {
                return bad(Problem.TRUNCATED, file, 1, "the previous file ends at seq " + lastSeq + " but this file"
                        + " continues at seq " + g.seq() + ": lines were cut from the end of the previous file");
            }
            if (g.seq() != lastSeq + 1 || !g.genesis().equals(lastHash)) {
                return bad(Problem.CHANGED, file, 1, "the genesis line does not continue the previous file (last seq "
                        + lastSeq + "): the previous file's last line changed, or the files are out of order");
            }
            return null;
        }

        /** Checks line k (0-based) against line k-1, which is good. */
        private VerificationResult link(final Path file, final Parsed[] p, final int k) {
            final Parsed prev = p[k - 1];
            final Parsed cur = p[k];
            final long expected = prev.seq() + 1;
            final boolean nextLinksToPrev = k + 1 < p.length && p[k + 1] != null
                    && p[k + 1].prev().equals(prev.lineHash());
            if (cur == null || !cur.selfHashOk()) {
                if (nextLinksToPrev) {
                    return bad(Problem.INSERTED, file, k + 1, "the line is not part of the chain (the next line links"
                            + " to the line before it)");
                }
                return cur == null ? bad(Problem.MALFORMED, file, k + 1, "not an audit line")
                        : bad(Problem.CHANGED, file, k + 1, "the line does not match its hash");
            }
            if (cur.isGenesis()) {
                return bad(Problem.INSERTED, file, k + 1, "a genesis line inside a file");
            }
            if (cur.prev().equals(prev.lineHash()) && cur.seq() == expected) {
                return null;
            }
            if (cur.seq() != expected && isReordered(p, k, expected)) {
                return bad(Problem.REORDERED, file, k + 1, "seq " + cur.seq() + " where seq " + expected
                        + " belongs, which comes later in the file");
            }
            if (nextLinksToPrev) {
                return bad(Problem.INSERTED, file, k + 1, "the line is not part of the chain (the next line links to"
                        + " the line before it)");
            }
            if (k >= 2 && p[k - 2] != null && cur.prev().equals(p[k - 2].lineHash())) {
                return bad(Problem.INSERTED, file, k, "the line is not part of the chain (the next line links to the"
                        + " line before it)");
            }
            if (cur.seq() > expected) {
                final long missing = cur.seq() - expected;
                return bad(Problem.REMOVED, file, k + 1, missing + " line(s) removed before this line (seq jumps from "
                        + prev.seq() + " to " + cur.seq() + ")");
            }
            if (cur.prev().equals(prev.lineHash())) {
                return bad(Problem.CHANGED, file, k + 1, "seq " + cur.seq() + " where seq " + expected + " belongs");
            }
            return bad(Problem.CHANGED, file, k, "the line does not match the hash the next line links to");
        }

        /**
         * True when a later line carries the expected seq and links to line k-1, and line k is a genuine chain line
         * (a later line links to it, or it was the last one).
         */
        private static boolean isReordered(final Parsed[] p, final int k, final long expected) {
            final String before = p[k - 1].lineHash();
            final String self = p[k].lineHash();
            boolean expectedLater = false;
            boolean selfLinked = false;
            long maxSeq = 0;
            for (int j = k + 1; j < p.length; j++) {
                if (p[j] == null) {
                    continue;
                }
                expectedLater |= p[j].seq() == expected && p[j].prev().equals(before);
                selfLinked |= p[j].prev().equals(self);
                maxSeq = Math.max(maxSeq, p[j].seq());
            }
            // a line moved away from the end of the file has no successor that links to it
            return expectedLater && (selfLinked || p[k].seq() > maxSeq);
        }

        private VerificationResult bad(final Problem problem, final Path file, final long line, final String reason) {
            return new VerificationResult(problem, file, line, reason, checked + Math.max(0, line - 1), lastSeq,
                    lastHash);
        }
    }

    private static List<byte[]> split(final byte[] all) {
        final List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        out.add(Arrays.copyOfRange(all, start, all.length));
        return out;
    }
}
