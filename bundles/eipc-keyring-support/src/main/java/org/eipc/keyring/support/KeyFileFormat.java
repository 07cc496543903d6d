package org.eipc.keyring.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one format of a key file, shared by the directory keyring and the {@code eipc} command ({@code --key-file},
 * {@code eipc keygen --out}), so a key written by one is the same key for the other:
 * <ul>
 * <li>{@code hex:} followed by hex digits: the decoded bytes (surrounding whitespace and a final newline
 * ignored);</li>
 * <li>{@code base64:} followed by standard Base64: the decoded bytes (likewise);</li>
 * <li>anything else: the raw bytes, exactly, trailing newline included. This is what the Go reference does with
 * {@code EIPC_KEY_FILE}, so a file shared with a Go peer works unchanged.</li>
 * </ul>
 */
public final class KeyFileFormat {
    /** Prefix of a hex-encoded key file. */
    public static final String HEX_PREFIX = "hex:";
    /** Prefix of a Base64-encoded key file. */
    public static final String BASE64_PREFIX = "base64:";

    private KeyFileFormat() {
    }

    /**
     * The key a file's content stands for, or {@code null} when the content has a prefix but its text is not
     * valid (not ASCII, not hex, not Base64). The content array is not changed; the caller wipes it.
     */
    public static byte[] decode(byte[] content) {
        if (startsWith(content, HEX_PREFIX)) {
            String text = ascii(content, HEX_PREFIX.length());
            try {
                return text == null ? null : HexFormat.of().parseHex(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (startsWith(content, BASE64_PREFIX)) {
            String text = ascii(content, BASE64_PREFIX.length());
            try {
                return text == null ? null : Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return content.clone();
    }

    /** The name of the encoding a content claims: {@code "hex"}, {@code "base64"} or {@code "raw"}. */
    public static String encodingOf(byte[] content) {
        return startsWith(content, HEX_PREFIX) ? "hex" : startsWith(content, BASE64_PREFIX) ? "base64" : "raw";
    }

    /** The content of a key file holding {@code key} as hex text, ending with a newline. */
    public static byte[] hexFile(byte[] key) {
        return (HEX_PREFIX + HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The content of a key file holding {@code key} as Base64 text, ending with a newline. */
    public static byte[] base64File(byte[] key) {
        return (BASE64_PREFIX + Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The text after the prefix without surrounding whitespace, or null when it is not ASCII. */
    private static String ascii(byte[] content, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] < 0) {
                return null;
            }
        }
        // a String of key text cannot be wiped; it lives only until the next collection
        return new String(content, from, content.length - from, StandardCharsets.US_ASCII).strip();
    }

    private static boolean startsWith(byte[] content, String prefix) {
        if (content.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (content[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
