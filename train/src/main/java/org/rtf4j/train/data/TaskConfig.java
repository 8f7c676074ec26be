package org.rtf4j.train.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to open a task: its name, the seed of its generated examples, task-specific options and where the cache
 * of real data lives.
 *
 * @param name    task name, one of {@link Tasks#names()}
 * @param seed    seed of a generated task's examples (ignored by real data except where documented)
 * @param options task-specific options as text, e.g. {@code tokens=128}; see {@link Tasks#describe()}
 * @param dataDir cache of real data written by {@link DataSetup}; may be null for generated tasks (real-data
 *                tasks then use {@link DataSetup#defaultDataDir()})
 */
public record TaskConfig(String name, long seed, Map<String, String> options, Path dataDir) {

    public TaskConfig {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("task name must not be empty");
        }
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** A configuration without options and without a data directory. */
    public static TaskConfig of(String name, long seed) {
        return new TaskConfig(name, seed, Map.of(), null);
    }

    /** This configuration with one option set (replacing an earlier value). */
    public TaskConfig with(String option, String value) {
        Map<String, String> o = new TreeMap<>(options);
        o.put(option, value);
        return new TaskConfig(name, seed, o, dataDir);
    }

    /** This configuration with another data directory. */
    public TaskConfig withDataDir(Path dir) {
        return new TaskConfig(name, seed, options, dir);
    }
}
