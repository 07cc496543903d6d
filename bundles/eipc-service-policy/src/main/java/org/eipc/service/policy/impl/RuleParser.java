package org.eipc.service.policy.impl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.eipc.service.policy.PolicyLevel;

/**
 * Parses rule lines: {@code EFFECT KEY=VALUE ...}, one rule per line; blank lines and lines starting with {@code #}
 * are skipped. Every error is an {@link IpcException} with {@link ErrorCode#CONFIG_INVALID} whose message names the
 * rule's line number, the offending token and what would have been accepted.
 *
 * <pre>
 * effect      allow | deny | confirm
 * id=         rule name for counters and audit ([A-Za-z0-9._:-]+; default rule-N, N the line number)
 * peer=       glob on the authenticated service id          uid=, gid=   ids or ranges: 1000 | 0,1000-1999
 * principal=  glob on the TLS principal                      type=        message types: intent,heartbeat | i,h
 * route=      glob on the header route                       capability=  glob on the header capability
 * level=      safe | controlled | restricted (allow rules only; default safe)
 * </pre>
 */
final class RuleParser {
    static final List<String> KEYS = List.of("id", "peer", "uid", "gid", "principal", "type", "route", "capability",
            "level");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private RuleParser() {
    }

    /** A rule's parsed fields before it gets its counters. */
    static final class Draft {
        String id;
        String text;
        Rule.Effect effect;
        PolicyLevel level = PolicyLevel.SAFE;
        Glob peer;
        IdRanges uid;
        IdRanges gid;
        Glob principal;
        TypeMask types;
        Glob route;
        Glob capability;
    }

    /**
     * @param lines the configured rules; null is no rules
     * @return the drafts in order
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} naming the first bad rule and token
     */
    static List<Draft> parse(String[] lines) {
        List<Draft> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; lines != null && i < lines.length; i++) {
            String line = lines[i] == null ? "" : lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Draft d = parseLine(i + 1, line);
            if (!ids.add(d.id)) {
                throw bad(i + 1, line, "id '" + d.id + "' is used by an earlier rule");
            }
            out.add(d);
        }
        return out;
    }

    static Draft parseLine(int n, String line) {
        String[] tokens = WHITESPACE.split(line);
        Draft d = new Draft();
        d.effect = effect(n, line, tokens[0]);
        d.id = "rule-" + n;
        d.text = String.join(" ", tokens);
        Set<String> seen = new HashSet<>();
        boolean levelGiven = false;
        for (int t = 1; t < tokens.length; t++) {
            String token = tokens[t];
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            if (!KEYS.contains(key)) {
                throw bad(n, line, "unknown key '" + key + "' in '" + token + "' (keys: " + String.join(" ", KEYS) + ")");
            }
            if (eq < 0 || eq == token.length() - 1) {
                throw bad(n, line, "'" + token + "' has no value (write " + key + "=VALUE)");
            }
            if (!seen.add(key)) {
                throw bad(n, line, "'" + token + "' repeats key '" + key + "'");
            }
            String value = token.substring(eq + 1);
            levelGiven |= "level".equals(key);
            set(n, line, token, key, value, d);
        }
        check(n, line, d, levelGiven);
        return d;
    }

    private static void set(int n, String line, String token, String key, String value, Draft d) {
        switch (key) {
            case "id":
                if (!ID.matcher(value).matches()) {
                    throw bad(n, line, "'" + token + "': an id is letters, digits and . _ : -");
                }
                d.id = value;
                break;
            case "peer":
                d.peer = Glob.of(value);
                break;
            case "uid":
                d.uid = ids(n, line, token, value);
                break;
            case "gid":
                d.gid = ids(n, line, token, value);
                break;
            case "principal":
                d.principal = Glob.of(value);
                break;
            case "type":
                d.types = types(n, line, token, value);
                break;
            case "route":
                d.route = Glob.of(value);
                break;
            case "capability":
                d.capability = Glob.of(value);
                break;
            default: // "level"
                d.level = level(n, line, token, value);
        }
    }

    private static void check(int n, String line, Draft d, boolean levelGiven) {
        if (levelGiven && d.effect != Rule.Effect.ALLOW) {
            throw bad(n, line, "level= applies to allow rules only, not to " + d.effect.name().toLowerCase(Locale.ROOT));
        }
        if (d.level == PolicyLevel.CONTROLLED && (d.capability == null || !d.capability.isLiteral())) {
            throw bad(n, line, "a level=controlled rule needs capability=NAME (one capability, no *)");
        }
        if (d.effect == Rule.Effect.CONFIRM && !names(d.peer) && d.uid == null && d.gid == null
                && !names(d.principal)) {
            throw bad(n, line, "a confirm rule must name its peer explicitly: peer= or principal= without *, or uid= or gid=");
        }
    }

    private static boolean names(Glob g) {
        return g != null && g.isLiteral();
    }

    private static Rule.Effect effect(int n, String line, String token) {
        switch (token) {
            case "allow":
                return Rule.Effect.ALLOW;
            case "deny":
                return Rule.Effect.DENY;
            case "confirm":
                return Rule.Effect.CONFIRM;
            default:
                throw bad(n, line, "'" + token + "' is not an effect (allow, deny, confirm)");
        }
    }

    private static PolicyLevel level(int n, String line, String token, String value) {
        switch (value) {
            case "safe":
                return PolicyLevel.SAFE;
            case "controlled":
                return PolicyLevel.CONTROLLED;
            case "restricted":
                return PolicyLevel.RESTRICTED;
            default:
                throw bad(n, line, "'" + token + "': level is safe, controlled or restricted");
        }
    }

    private static IdRanges ids(int n, String line, String token, String value) {
        String[] items = value.split(",", -1);
        int[] lo = new int[items.length];
        int[] hi = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            int dash = item.indexOf('-', 1);
            try {
                lo[i] = Integer.parseInt(dash < 0 ? item : item.substring(0, dash));
                hi[i] = dash < 0 ? lo[i] : Integer.parseInt(item.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw bad(n, line, "'" + token + "': '" + item + "' is not an id or a range like 1000-1999");
            }
            if (lo[i] < 0 || hi[i] < lo[i]) {
                throw bad(n, line, "'" + token + "': '" + item + "' is not a range of ids >= 0");
            }
        }
        return new IdRanges(lo, hi);
    }

    private static TypeMask types(int n, String line, String token, String value) {
        TypeMask mask = new TypeMask();
        for (String item : value.split(",", -1)) {
            MessageType t = MessageType.fromWireName(item);
            if (t == null && item.length() == 1) {
                t = MessageType.fromWire(item.charAt(0));
            }
            if (t == null) {
                try {
                    t = MessageType.valueOf(item.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw bad(n, line, "'" + token + "': unknown message type '" + item
                            + "' (a name like intent or tool_request, or its character like i)");
                }
            }
            mask.add(t.wireByte());
        }
        return mask;
    }

    private static IpcException bad(int n, String line, String what) {
        return new IpcException(ErrorCode.CONFIG_INVALID, "rule " + n + " '" + line + "': " + what);
    }
}
