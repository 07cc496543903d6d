package org.eipc.service.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServiceVersionTest {

    @Test
    void shouldOrderBySemverPrecedence() {
        List<String> ordered = List.of("0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0",
                "10.0.0-99999999999999999999");
        List<ServiceVersion> shuffled = new ArrayList<>();
        for (String s : ordered) {
            shuffled.add(ServiceVersion.parse(s));
        }
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        for (int i = 0; i < ordered.size(); i++) {
            assertEquals(ordered.get(i), shuffled.get(i).toString());
        }
    }

    @Test
    void shouldFillMissingPartsAndIgnoreBuildMetadataInComparisons() {
        assertEquals("2.0.0", ServiceVersion.parse("2").toString());
        assertEquals("2.1.0", ServiceVersion.parse("2.1").toString());
        assertEquals(ServiceVersion.parse("1.0.0+a"), ServiceVersion.parse("1.0.0+b"));
        assertEquals("1.0.0-rc.1+build.7", ServiceVersion.parse("1.0.0-rc.1+build.7").toString());
        assertTrue(ServiceVersion.parse("1.0.0-rc.1+x").compareTo(ServiceVersion.parse("1.0.0")) < 0);
    }

    @Test
    void shouldRejectWhatIsNotSemver() {
        for (String bad : new String[] {"", "v1.0.0", "1.0.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0-a..b", "1.x",
            "1.0.0+", "99999999999999999999.0.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceVersion.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("version=" + bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ServiceVersion.parse(null));
    }
}
