package org.eipc.launcher;

import java.util.concurrent.Callable;

import jakarta.json.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eipc version}: the version of this distribution. */
@Command(name = "version", description = "Print the eipc version.", mixinStandardHelpOptions = true)
final class VersionCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print a JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        String version = BuildInfo.version();
        if (json) {
            System.out.println(Json.createObjectBuilder()
                    .add("name", "eipc")
                    .add("version", version)
                    .add("java", Runtime.version().toString())
                    .build());
        } else {
            System.out.println("eipc " + version);
        }
        return ExitCodes.SUCCESS;
    }
}
