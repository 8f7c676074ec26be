package org.rtf4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rtf4j.formats.DType;
import org.rtf4j.formats.IoMessages;
import org.rtf4j.formats.SafeTensors;
import org.rtf4j.formats.Tensor;
import org.rtf4j.layer.Parameter;
import org.rtf4j.train.nn.SequenceModel;
import org.rtf4j.train.optim.AdamW;

/**
 * Training checkpoints: one safetensors file per checkpoint, {@code checkpoint-<step>.safetensors}, with the
 * parameters ({@code model.<name>}), BatchNorm running statistics ({@code buffer.<name>}) and the AdamW moments
 * ({@code adam.m.<name>}, {@code adam.v.<name>}, each with its parameter's shape) as F64 tensors, and in its
 * metadata the format version, the run configuration (JSON), the step, the optimiser step count, the wall time
 * so far and the random state. Randomness is counter-based (data order, fresh examples and dropout masks are
 * functions of seed and step), so the seed and the step are the whole random state. Files are written
 * atomically (temporary file, fsync, rename) and the newest two are kept: a process killed while saving leaves
 * the previous checkpoint in place and loadable.
 *
 * <p>Reading refuses, with one line naming the file and the reason, anything that is not a checkpoint this
 * version wrote: an unknown format version, metadata numbers out of range, a configuration that does not
 * parse, and any NaN or infinite value (naming the tensor and the first bad index). {@link #restore} refuses a
 * checkpoint whose tensors do not fit the model: a missing or extra tensor, or a shape that differs (the full
 * shape, not only the element count). Format 1 (moments stored flat) is still read.
 */
public final class Checkpoints {
    /** Metadata key of the format version. */
    public static final String FORMAT_KEY = "rtf4j.checkpoint";
    /** The format written: 2 stores the AdamW moments with their parameter's shape (1 stored them flat). */
    private static final String FORMAT = "2";
    private static final List<String> READABLE_FORMATS = List.of("1", "2");
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.safetensors");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP = 2;

    private Checkpoints() {
    }

    /**
     * A checkpoint read back and validated: its tensors are all finite, its numbers in range.
     *
     * @param file           the file
     * @param format         its format version
     * @param step           updates done when it was written
     * @param optimizerSteps the optimiser's update count
     * @param seconds        wall time of the run so far
     * @param config         the run configuration
     * @param tensors        the tensors by name
     * @param metadata       the whole metadata
     */
    public record Loaded(Path file, String format, long step, long optimizerSteps, double seconds, TrainConfig config,
                         Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * A directory holds checkpoint files and none of them is readable. The message names the directory and
     * every file with its reason; nothing in the directory was changed.
     */
    public static final class UnreadableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnreadableException(Path dir, Map<Path, String> reasons) {
            super("run directory " + dir + " holds no readable checkpoint: " + describe(reasons));
        }

        private static String describe(Map<Path, String> reasons) {
            StringJoiner j = new StringJoiner("; ");
            reasons.forEach((f, r) -> j.add(f.getFileName() + " (" + r + ")"));
            return j.toString();
        }
    }

    /**
     * Writes the checkpoint of {@code step} (with the run's wall time so far, {@code seconds}) and deletes all
     * but the newest two; returns its path. Reads the model's weights and the optimiser's moments back from the
     * backend first (the one time a run reads them).
     */
    public static Path save(Path dir, long step, TrainConfig config, SequenceModel model, AdamW opt, double seconds) {
        model.pull();
        opt.pull();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Parameter> params = model.parameters();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            tensors.put("model." + e.getKey(), Tensor.of("model." + e.getKey(), DType.F64, p.value().clone(), p.shape()));
        }
        for (Map.Entry<String, double[]> e : model.buffers().entrySet()) {
            tensors.put("buffer." + e.getKey(), Tensor.of("buffer." + e.getKey(), DType.F64, e.getValue().clone(),
                e.getValue().length));
        }
        putMoments(tensors, "adam.m.", opt.firstMoments(), params);
        putMoments(tensors, "adam.v.", opt.secondMoments(), params);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("step", Long.toString(step));
        meta.put("optimizer", "adamw");
        meta.put("optimizer.steps", Long.toString(opt.steps()));
        meta.put("rng", "counter-based: seed " + config.seed() + ", step " + step);
        meta.put("seconds", Double.toString(seconds));
        meta.put("config", toJson(config));
        Path file = dir.resolve(String.format("checkpoint-%09d.safetensors", step));
        SafeTensors.write(file, tensors, meta);
        List<Path> all = list(dir);
        for (int i = KEEP; i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                throw IoMessages.cannot("delete old checkpoint", all.get(i), e);
            }
        }
        return file;
    }

    private static void putMoments(Map<String, Tensor> out, String prefix, Map<String, double[]> moments,
                                   Map<String, Parameter> params) {
        for (Map.Entry<String, double[]> e : moments.entrySet()) {
            String name = prefix + e.getKey();
            out.put(name, Tensor.of(name, DType.F64, e.getValue().clone(), params.get(e.getKey()).shape()));
        }
    }

    /** Checkpoint files of a directory, newest first. */
    public static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (IOException e) {
            throw IoMessages.cannot("list", dir, e);
        }
        out.sort(Comparator.comparingLong(Checkpoints::stepOf).reversed());
        return out;
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // more digits than a long: sorted first, and refused as unreadable
        }
    }

    /**
     * The newest readable checkpoint of a directory; empty when the directory holds no checkpoint file. Each
     * unreadable newer file is reported through {@code log} with its reason, followed by "trying the previous
     * one" (there is one, as a readable file was found after it).
     *
     * @throws UnreadableException when there are checkpoint files and none is readable
     */
    public static Optional<Loaded> latest(Path dir, Consumer<String> log) {
        List<Path> files = list(dir);
        Map<Path, String> unreadable = new LinkedHashMap<>();
        for (Path f : files) {
            Loaded ck;
            try {
                ck = read(f);
            } catch (RuntimeException e) {
                unreadable.put(f, reason(f, e));
                continue;
            }
            unreadable.forEach((file, why) ->
                log.accept("checkpoint " + file + " is unreadable (" + why + "); trying the previous one"));
            return Optional.of(ck);
        }
        if (!unreadable.isEmpty()) {
            throw new UnreadableException(dir, unreadable);
        }
        return Optional.empty();
    }

    /** The message of a failure to read {@code file}, without the file name it starts with. */
    private static String reason(Path file, RuntimeException e) {
        String m = e.getMessage() != null ? e.getMessage() : e.toString();
        String name = file.toString();
        if (m.startsWith(name + ": ")) {
            return m.substring(name.length() + 2);
        }
        if (m.startsWith(name + ", ")) {
            return m.substring(name.length() + 2);
        }
        return m;
    }

    /**
     * Reads and validates one checkpoint file.
     *
     * @throws IllegalArgumentException naming the file and the problem, when it is not a valid checkpoint
     * @throws UncheckedIOException     naming the file and the reason, when it cannot be read
     */
    public static Loaded read(Path file) {
        SafeTensors.Contents c;
        try {
            c = SafeTensors.read(file);
        } catch (UncheckedIOException e) {
            throw IoMessages.cannot("read", file, e.getCause());
        }
        Map<String, String> meta = c.metadata();
        String format = meta.get(FORMAT_KEY);
        if (format == null) {
            throw new IllegalArgumentException(file + ": not an rtf4j checkpoint (no " + FORMAT_KEY + " metadata)");
        }
        if (!READABLE_FORMATS.contains(format)) {
            throw new IllegalArgumentException(file + ": checkpoint format version " + format
                + " is not one this version reads (" + String.join(", ", READABLE_FORMATS) + ")");
        }
        TrainConfig config = config(file, meta.get("config"));
        long step = count(file, meta, "step");
        long optimizerSteps = count(file, meta, "optimizer.steps");
        double seconds = 0;
        String secs = meta.get("seconds");
        if (secs != null) {
            try {
                seconds = Double.parseDouble(secs);
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException(file + ": metadata seconds must be a finite number ≥ 0, got " + secs);
            }
        }
        for (Tensor t : c.tensors().values()) {
            requireFinite(file, t);
        }
        return new Loaded(file, format, step, optimizerSteps, seconds, config, c.tensors(), meta);
    }

    private static TrainConfig config(Path file, String json) {
        if (json == null) {
            throw new IllegalArgumentException(file + ": the config metadata is missing");
        }
        try {
            return JSON.readValue(json, TrainConfig.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException(file + ": unreadable config metadata: " + oneLine(why), e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.split("\\R", 2)[0];
    }

    private static long count(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": metadata " + key + " is missing");
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new IllegalArgumentException(file + ": metadata " + key + " must be an integer ≥ 0, got " + v);
        }
        return n;
    }

    private static void requireFinite(Path file, Tensor t) {
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException(file + ": tensor " + t.name() + " holds " + d[i] + " at index "
                    + index(t.shape(), i));
            }
        }
    }

    /** The row-major flat index {@code flat} of a tensor of {@code shape} as {@code [i, j, …]}. */
    private static String index(long[] shape, int flat) {
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = rest % shape[k];
            rest /= shape[k];
        }
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (long i : idx) {
            j.add(Long.toString(i));
        }
        return j.toString();
    }

    /**
     * Copies parameters, buffers and (when {@code opt} is not null) the optimiser state from a checkpoint. Every
     * tensor is checked before anything is copied, so a refused checkpoint leaves the model and optimiser as
     * they were. The values go into the host views, then to the backend ({@link SequenceModel#push()},
     * {@link AdamW#push()}).
     *
     * @throws IllegalArgumentException naming the file and the tensor, when a tensor is missing, has another
     *                                  shape than the model's, or is not a part of the model
     */
    public static void restore(Loaded ck, SequenceModel model, AdamW opt) {
        boolean flatMoments = "1".equals(ck.format());
        Map<String, Parameter> params = model.parameters();
        Map<String, Slot> slots = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            slots.put("model." + e.getKey(), new Slot(p.value(), longs(p.shape())));
        }
        for (Map.Entry<String, double[]> e : model.buffers().entrySet()) {
            slots.put("buffer." + e.getKey(), new Slot(e.getValue(), new long[] {e.getValue().length}));
        }
        if (opt != null) {
            addMoments(slots, "adam.m.", opt.firstMoments(), params, flatMoments);
            addMoments(slots, "adam.v.", opt.secondMoments(), params, flatMoments);
        }
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Tensor t = ck.tensors().get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(ck.file() + ": tensor " + e.getKey() + " is missing");
            }
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(ck.file() + ": tensor " + e.getKey() + " has shape " + t.shapeText()
                    + ", the model expects " + shapeText(e.getValue().shape()));
            }
        }
        for (String name : ck.tensors().keySet()) {
            boolean moment = name.startsWith("adam.m.") || name.startsWith("adam.v.");
            if (!slots.containsKey(name) && !(opt == null && moment)) {
                throw new IllegalArgumentException(ck.file() + ": tensor " + name + " is not a part of the model");
            }
        }
        slots.forEach((name, slot) -> System.arraycopy(ck.tensors().get(name).data(), 0, slot.into(), 0,
            slot.into().length));
        // the host views are written; the model's weights and moments live on its backend
        model.push();
        if (opt != null) {
            opt.restoreSteps(ck.optimizerSteps());
            opt.push();
        }
    }

    /** Where a tensor is copied to, and the shape it must have. */
    private record Slot(double[] into, long[] shape) {
    }

    private static void addMoments(Map<String, Slot> slots, String prefix, Map<String, double[]> moments,
                                   Map<String, Parameter> params, boolean flat) {
        for (Map.Entry<String, double[]> e : moments.entrySet()) {
            long[] shape = flat ? new long[] {e.getValue().length} : longs(params.get(e.getKey()).shape());
            slots.put(prefix + e.getKey(), new Slot(e.getValue(), shape));
        }
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    /** A shape as text, as {@link Tensor#shapeText()} writes it: (2, 3), (5,) or (). */
    private static String shapeText(long[] shape) {
        StringJoiner j = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long s : shape) {
            j.add(Long.toString(s));
        }
        return j.toString();
    }

    /**
     * The fields in which two configurations differ, flattened to dotted paths ({@code model.channels}), each
     * with both values: {@code model.channels 64 (checkpoint) vs 32 (requested), lr 0.003 vs 0.001}. Empty
     * when they are equal.
     */
    static String differences(TrainConfig checkpoint, TrainConfig requested) {
        List<String[]> diffs = new ArrayList<>();
        diff("", JSON.valueToTree(checkpoint), JSON.valueToTree(requested), diffs);
        StringJoiner j = new StringJoiner(", ");
        for (String[] d : diffs) {
            j.add(j.length() == 0 ? d[0] + " " + d[1] + " (checkpoint) vs " + d[2] + " (requested)"
                : d[0] + " " + d[1] + " vs " + d[2]);
        }
        return j.toString();
    }

    /** Walks two JSON trees side by side, adding {path, a, b} for every leaf that differs (or is in one only). */
    private static void diff(String path, JsonNode a, JsonNode b, List<String[]> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(path.isEmpty() ? n : path + "." + n, a.get(n), b.get(n), out);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                diff(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else if (a == null || b == null || !a.equals(b)) {
            out.add(new String[] {path, leaf(a), leaf(b)});
        }
    }

    private static String leaf(JsonNode n) {
        return n == null ? "(absent)" : n.isValueNode() ? n.asText() : n.toString();
    }

    static String toJson(TrainConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the run configuration: " + e.getMessage(), e);
        }
    }
}
