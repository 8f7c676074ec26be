package org.rtf4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rtf4j.interchange.DType;
import org.rtf4j.interchange.SafeTensors;
import org.rtf4j.interchange.Tensor;
import org.rtf4j.layer.Parameter;
import org.rtf4j.train.nn.SequenceModel;
import org.rtf4j.train.optim.AdamW;

/**
 * Training checkpoints: one safetensors file per checkpoint, {@code checkpoint-<step>.safetensors}, with the
 * parameters ({@code model.<name>}), BatchNorm running statistics ({@code buffer.<name>}), the AdamW moments ({@code adam.m.<name>}, {@code adam.v.<name>}) as F64
 * tensors, and in its metadata the run configuration (JSON), the step, the optimiser step count and the
 * random state. Randomness is counter-based (data order, fresh examples and dropout masks are functions of
 * seed and step), so the seed and the step are the whole random state. Files are written atomically
 * (temporary file, fsync, rename) and the newest two are kept: a process killed while saving leaves the
 * previous checkpoint in place and loadable.
 */
public final class Checkpoints {
    /** Metadata key of the format version. */
    public static final String FORMAT_KEY = "rtf4j.checkpoint";
    private static final String FORMAT = "1";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.safetensors");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP = 2;

    private Checkpoints() {
    }

    /** A checkpoint read back. */
    public record Loaded(Path file, long step, TrainConfig config, Map<String, Tensor> tensors,
                         Map<String, String> metadata) {
    }

    /**
     * Writes the checkpoint of {@code step} (with the run's wall time so far, {@code seconds}) and deletes all
     * but the newest two; returns its path.
     */
    public static Path save(Path dir, long step, TrainConfig config, SequenceModel model, AdamW opt, double seconds) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            Parameter p = e.getValue();
            tensors.put("model." + e.getKey(), Tensor.of("model." + e.getKey(), DType.F64, p.value().clone(), p.shape()));
        }
        for (Map.Entry<String, double[]> e : model.buffers().entrySet()) {
            tensors.put("buffer." + e.getKey(), Tensor.of("buffer." + e.getKey(), DType.F64, e.getValue().clone(),
                e.getValue().length));
        }
        for (Map.Entry<String, double[]> e : opt.firstMoments().entrySet()) {
            tensors.put("adam.m." + e.getKey(), Tensor.of("adam.m." + e.getKey(), DType.F64, e.getValue().clone(),
                e.getValue().length));
        }
        for (Map.Entry<String, double[]> e : opt.secondMoments().entrySet()) {
            tensors.put("adam.v." + e.getKey(), Tensor.of("adam.v." + e.getKey(), DType.F64, e.getValue().clone(),
                e.getValue().length));
        }
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
                throw new UncheckedIOException("cannot delete old checkpoint " + all.get(i) + ": " + e.getMessage(), e);
            }
        }
        return file;
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
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(Checkpoints::stepOf).reversed());
        return out;
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The newest readable checkpoint of a directory. An unreadable newer file is reported through {@code log}
     * (never skipped silently) and the previous one is tried.
     */
    public static Optional<Loaded> latest(Path dir, Consumer<String> log) {
        for (Path f : list(dir)) {
            try {
                return Optional.of(read(f));
            } catch (RuntimeException e) {
                log.accept("checkpoint " + f + " is unreadable (" + e.getMessage() + "); trying the previous one");
            }
        }
        return Optional.empty();
    }

    /** Reads and validates one checkpoint file. */
    public static Loaded read(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
            throw new IllegalArgumentException(file + ": not an rtf4j checkpoint (metadata " + FORMAT_KEY + " = "
                + meta.get(FORMAT_KEY) + ", expected " + FORMAT + ")");
        }
        TrainConfig config;
        try {
            config = JSON.readValue(meta.get("config"), TrainConfig.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": unreadable config metadata: " + e.getMessage(), e);
        }
        return new Loaded(file, Long.parseLong(meta.get("step")), config, c.tensors(), meta);
    }

    /** Copies parameters (and, when opt is not null, the optimiser state) from a checkpoint. */
    public static void restore(Loaded ck, SequenceModel model, AdamW opt) {
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            Parameter p = e.getValue();
            copy(ck, "model." + e.getKey(), p.value());
        }
        for (Map.Entry<String, double[]> e : model.buffers().entrySet()) {
            copy(ck, "buffer." + e.getKey(), e.getValue());
        }
        if (opt != null) {
            for (Map.Entry<String, double[]> e : opt.firstMoments().entrySet()) {
                copy(ck, "adam.m." + e.getKey(), e.getValue());
            }
            for (Map.Entry<String, double[]> e : opt.secondMoments().entrySet()) {
                copy(ck, "adam.v." + e.getKey(), e.getValue());
            }
            opt.restoreSteps(Long.parseLong(ck.metadata().get("optimizer.steps")));
        }
    }

    private static void copy(Loaded ck, String name, double[] into) {
        Tensor t = ck.tensors().get(name);
        if (t == null) {
            throw new IllegalArgumentException(ck.file() + ": tensor " + name + " is missing");
        }
        if (t.data().length != into.length) {
            throw new IllegalArgumentException(ck.file() + ": tensor " + name + " has " + t.data().length
                + " values, the model expects " + into.length);
        }
        System.arraycopy(t.data(), 0, into, 0, into.length);
    }

    static String toJson(TrainConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the run configuration: " + e.getMessage(), e);
        }
    }
}
