package org.eipc.launcher.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureSetTest {
    @TempDir
    Path dir;

    @Test
    void shouldPutIncludedFeaturesFirstAndTakeEachBundleOnce() throws IOException {
        write("base", "\"bundles\":[{\"id\":\"g:a:1\"},{\"id\":\"g:b:jar:tests:2\"}]");
        write("top", "\"bundles\":[{\"id\":\"g:c:3\"},{\"id\":\"g:a:1\"}],"
                + "\"extensions\":{\"eipc-includes\":{\"type\":\"artifacts\",\"kind\":\"mandatory\","
                + "\"artifacts\":[{\"id\":\"t:base:osgifeature:1\"}]}}");
        FeatureSet set = FeatureSet.load(dir, dir.resolve("bundles"), List.of("top"));
        assertEquals(List.of("t:base:osgifeature:1", "t:top:osgifeature:1"), set.featureIds());
        assertEquals(List.of("a-1.jar", "b-2-tests.jar", "c-3.jar"),
                set.bundles().stream().map(b -> b.jar().getFileName().toString()).toList());
        assertEquals(3, set.missingJars().size());
    }

    @Test
    void shouldAcceptAFeatureReachedThroughSeveralIncludes() throws IOException {
        String includesBase = "\"extensions\":{\"eipc-includes\":{\"type\":\"artifacts\",\"kind\":\"mandatory\","
                + "\"artifacts\":[{\"id\":\"t:base:osgifeature:1\"}]}}";
        write("base", "\"bundles\":[{\"id\":\"g:a:1\"}]");
        write("left", "\"bundles\":[{\"id\":\"g:l:1\"}]," + includesBase);
        write("right", "\"bundles\":[{\"id\":\"g:r:1\"}]," + includesBase);
        write("top", "\"extensions\":{\"eipc-includes\":{\"type\":\"artifacts\",\"kind\":\"mandatory\","
                + "\"artifacts\":[{\"id\":\"t:base:osgifeature:1\"},{\"id\":\"t:left:osgifeature:1\"},"
                + "{\"id\":\"t:right:osgifeature:1\"}]}}");
        FeatureSet set = FeatureSet.load(dir, dir, List.of("top"));
        assertEquals(List.of("t:base:osgifeature:1", "t:left:osgifeature:1", "t:right:osgifeature:1",
                "t:top:osgifeature:1"), set.featureIds());
        assertEquals(List.of("a-1.jar", "l-1.jar", "r-1.jar"),
                set.bundles().stream().map(b -> b.jar().getFileName().toString()).toList());
    }

    @Test
    void shouldLetALaterFeatureReplaceAConfiguration() throws IOException {
        write("one", "\"configurations\":{\"p\":{\"v\":1},\"f~n\":{\"v\":1}}");
        write("two", "\"configurations\":{\"p\":{\"v\":2}}");
        FeatureSet set = FeatureSet.load(dir, dir, List.of("one", "two"));
        assertEquals(2, set.configurations().size());
        FeatureSet.ConfigSpec p = set.configurations().stream().filter(c -> c.pid().equals("p")).findFirst()
                .orElseThrow();
        assertEquals("t:two:osgifeature:1", p.feature());
        FeatureSet.ConfigSpec f = set.configurations().stream().filter(c -> c.pid().equals("f~n")).findFirst()
                .orElseThrow();
        assertEquals("f", f.factoryPid());
        assertEquals("n", f.name());
    }

    @Test
    void shouldAcceptAPathAndRejectAnUnknownName() throws IOException {
        write("x", "\"bundles\":[]");
        assertEquals(1, FeatureSet.load(dir, dir, List.of(dir.resolve("x.json").toString())).featureIds().size());
        assertThrows(FeatureSet.FeatureNotFoundException.class, () -> FeatureSet.load(dir, dir, List.of("nope")));
    }

    @Test
    void shouldRejectAFeatureThatIncludesItself() throws IOException {
        write("loop", "\"extensions\":{\"eipc-includes\":{\"type\":\"artifacts\",\"kind\":\"mandatory\","
                + "\"artifacts\":[{\"id\":\"t:loop:osgifeature:1\"}]}}");
        assertThrows(IOException.class, () -> FeatureSet.load(dir, dir, List.of("loop")));
    }

    private void write(String name, String body) throws IOException {
        Files.writeString(dir.resolve(name + ".json"), "{\"feature-resource-version\":\"1.0\",\"id\":\"t:" + name
                + ":osgifeature:1\"," + body + "}");
    }
}
