package org.eipc.service.policy.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.policy.PolicyLevel;
import org.junit.jupiter.api.Test;

class RuleParserTest {

    private static String error(String... lines) {
        IpcException e = assertThrows(IpcException.class, () -> RuleParser.parse(lines));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        return e.detail();
    }

    @Test
    void shouldParseEveryKeyAndNormaliseWhitespace() {
        List<RuleParser.Draft> d = RuleParser.parse(new String[] {"  # comment", "",
            "allow   peer=nia.*  uid=1000,2000-2010 gid=100 principal=CN=x type=intent,h route=ui.* capability=ui:control"
                + " level=controlled id=ui"});
        assertEquals(1, d.size());
        assertEquals("ui", d.get(0).id);
        assertEquals(PolicyLevel.CONTROLLED, d.get(0).level);
        assertTrue(d.get(0).text.startsWith("allow peer=nia.* uid=1000,2000-2010 gid=100"));
    }

    @Test
    void shouldNameTheUnknownKeyAndTheRule() {
        String m = error("allow peer=a", "deny pear=nia.*");
        assertTrue(m.startsWith("rule 2 "), m);
        assertTrue(m.contains("unknown key 'pear' in 'pear=nia.*'"), m);
    }

    @Test
    void shouldNameTheBadToken() {
        assertTrue(error("permit peer=a").contains("'permit' is not an effect"));
        assertTrue(error("allow uid=root").contains("'uid=root': 'root' is not an id"));
        assertTrue(error("allow uid=20-10").contains("'uid=20-10'"));
        assertTrue(error("allow type=intent,bogus").contains("unknown message type 'bogus'"));
        assertTrue(error("allow level=high").contains("'level=high'"));
        assertTrue(error("allow route=").contains("'route=' has no value"));
        assertTrue(error("allow route").contains("'route' has no value"));
        assertTrue(error("allow route=a route=b").contains("repeats key 'route'"));
        assertTrue(error("allow id=a b c").contains("unknown key 'b'"));
        assertTrue(error("allow id=a/b").contains("'id=a/b'"));
        assertTrue(error("allow id=x", "deny id=x").contains("id 'x' is used by an earlier rule"));
    }

    @Test
    void shouldRejectLevelsThatCannotApply() {
        assertTrue(error("deny level=safe").contains("allow rules only"));
        assertTrue(error("confirm peer=a level=restricted").contains("allow rules only"));
        assertTrue(error("allow level=controlled").contains("needs capability=NAME"));
        assertTrue(error("allow level=controlled capability=ui:*").contains("needs capability=NAME"));
    }

    @Test
    void shouldRequireConfirmRulesToNameThePeer() {
        assertTrue(error("confirm route=system.*").contains("must name its peer"));
        assertTrue(error("confirm peer=ail.*").contains("must name its peer"));
        assertEquals(1, RuleParser.parse(new String[] {"confirm peer=ail.framework"}).size());
        assertEquals(1, RuleParser.parse(new String[] {"confirm uid=0"}).size());
    }

    @Test
    void shouldAcceptTypesByNameCharacterAndEnumName() {
        RuleParser.Draft d = RuleParser.parse(new String[] {"allow type=tool_request,h,CHAT"}).get(0);
        assertTrue(d.types.contains((byte) 't'));
        assertTrue(d.types.contains((byte) 'h'));
        assertTrue(d.types.contains((byte) 'c'));
        assertTrue(!d.types.contains((byte) 'i'));
    }
}
