package org.rtf4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.data.DataSetup;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.TaskConfig;
import org.rtf4j.train.data.Tasks;
import picocli.CommandLine.Option;

/** Task selection shared by train and eval. */
final class TaskOptions {
    @Option(names = "--task", description = "copying, delay, listops, imdb, smnist, psmnist or pathfinder (default: ${DEFAULT-VALUE}).")
    String task = "copying";

    @Option(names = {"-o", "--task-option"}, description = "Task option NAME=VALUE, repeatable (e.g. tokens=16).")
    Map<String, String> options = new LinkedHashMap<>(Map.of());

    @Option(names = "--data", description = "Data cache of setup-data (default: $RTF4J_DATA or ~/.cache/rtf4j/data).")
    Path data;

    @Option(names = "--seed", description = "Seed of initialisation, data order and dropout (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    /** The embedded default: a small Copying task that trains in minutes. */
    static final Map<String, String> DEFAULT_COPYING = Map.of("tokens", "32", "alphabet", "16");

    Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        if (task.equals("copying") && options.isEmpty()) {
            o.putAll(DEFAULT_COPYING);
        }
        o.putAll(options);
        return o;
    }

    Dataset open() {
        return Tasks.open(new TaskConfig(task, seed, options(), data != null ? data : DataSetup.defaultDataDir()));
    }

    static LayerKind kind(String s) {
        for (LayerKind k : LayerKind.values()) {
            if (k.id().equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("--model must be rtf, s4d or s4, got " + s);
    }
}
