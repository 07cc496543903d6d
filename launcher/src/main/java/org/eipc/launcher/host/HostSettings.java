package org.eipc.launcher.host;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a host keeps its framework storage, which directory FileInstall watches for bundles and
 * configurations, and which extra directories it watches for configurations only.
 */
public record HostSettings(Path storage, Path deploy, List<Path> configDirs) {
    public HostSettings {
        configDirs = List.copyOf(configDirs);
    }
}
