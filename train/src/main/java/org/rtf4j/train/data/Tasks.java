package org.rtf4j.train.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Opens a task by name: {@code copying}, {@code delay}, {@code listops} and {@code pathfinder} are generated;
 * {@code smnist}, {@code psmnist} and {@code imdb} read the cache that {@link DataSetup} writes.
 */
public final class Tasks {

    /**
     * A task and the options it accepts, for help output.
     *
     * @param name        task name
     * @param description one line on what it is
     * @param generated   true for generated tasks (no data directory needed)
     * @param options     its options with defaults
     */
    public record TaskInfo(String name, String description, boolean generated, List<TaskOptions.Option> options) {
    }

    private record Entry(TaskInfo info, Function<TaskConfig, Dataset> opener) {
    }

    private static final Map<String, Entry> TASKS = new LinkedHashMap<>();

    static {
        register("copying", "Copying (synthetic, token classes at the marker positions)", true, CopyingTask.OPTIONS,
            CopyingTask::open);
        register("delay", "Delay (synthetic, band-limited noise delayed, regression)", true, DelayTask.OPTIONS,
            DelayTask::open);
        register("listops", "ListOps (LRA generator, nested MAX/MIN/MED/SM, 10 classes)", true, ListOpsTask.OPTIONS,
            ListOpsTask::open);
        register("pathfinder", "Pathfinder-like 32x32 images (our own generator, 2 classes)", true,
            PathfinderTask.OPTIONS, PathfinderTask::open);
        register("smnist", "sequential MNIST (784 pixels in row order, 10 classes; needs setup-data mnist)", false,
            MnistTask.SEQUENTIAL_OPTIONS, c -> MnistTask.open(c, false));
        register("psmnist", "permuted sequential MNIST (bit-reversal permutation; needs setup-data mnist)", false,
            MnistTask.PERMUTED_OPTIONS, c -> MnistTask.open(c, true));
        register("imdb", "IMDB reviews as UTF-8 bytes (LRA Text, 2 classes; needs setup-data imdb)", false,
            ImdbTask.OPTIONS, ImdbTask::open);
    }

    private Tasks() {
    }

    private static void register(String name, String description, boolean generated, TaskOptions options,
                                 Function<TaskConfig, Dataset> opener) {
        TASKS.put(name, new Entry(new TaskInfo(name, description, generated, options.options()), opener));
    }

    /** The task names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }

    /** Every task with its options and their defaults, in the order of {@link #names()}. */
    public static List<TaskInfo> describe() {
        return TASKS.values().stream().map(Entry::info).toList();
    }

    /** Help text: every task, one line each, with its options as {@code name=default  description}. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        for (TaskInfo t : describe()) {
            sb.append(t.name()).append(" - ").append(t.description()).append('\n');
            for (TaskOptions.Option o : t.options()) {
                sb.append(String.format("    %-24s %s%n", o.name() + "=" + o.defaultValue(), o.description()));
            }
        }
        return sb.toString();
    }

    /**
     * Opens a task.
     *
     * @throws IllegalArgumentException for an unknown task, an unknown option or a bad option value
     * @throws IllegalStateException    when a real-data task's cache is missing or invalid
     */
    public static Dataset open(TaskConfig config) {
        Entry e = TASKS.get(config.name());
        if (e == null) {
            throw new IllegalArgumentException("unknown task '" + config.name() + "'; expected one of " + names());
        }
        return e.opener().apply(config);
    }
}
