package org.eipc.service.policy.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void shouldMatchLiteralExactly() {
        assertTrue(Glob.of("nia.min").matches("nia.min"));
        assertFalse(Glob.of("nia.min").matches("nia.min2"));
        assertTrue(Glob.of("nia.min").isLiteral());
    }

    @Test
    void shouldMatchPrefixSuffixAndInfixWildcards() {
        assertTrue(Glob.of("nia.*").matches("nia.framework"));
        assertTrue(Glob.of("nia.*").matches("nia."));
        assertFalse(Glob.of("nia.*").matches("ail.min"));
        assertTrue(Glob.of("*.min").matches("nia.min"));
        assertTrue(Glob.of("ui.*.move").matches("ui.cursor.move"));
        assertFalse(Glob.of("ui.*.move").matches("ui.move"));
        assertTrue(Glob.of("a*b*c").matches("abc"));
        assertTrue(Glob.of("a*b*c").matches("axxbyyc"));
        assertFalse(Glob.of("a*b*c").matches("acb"));
        assertFalse(Glob.of("ab*ba").matches("aba"), "prefix and suffix must not overlap");
        assertTrue(Glob.of("*").matches(""));
        assertTrue(Glob.of("**").matchesAll());
    }
}
