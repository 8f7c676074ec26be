package org.rtf4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtf4j.formats.IoMessages;
import org.rtf4j.formats.OutputFiles;

/**
 * Metric rows appended to {@code metrics.csv} and {@code metrics.jsonl} in a run directory, one row per
 * event ({@code kind} = train or eval). On resume the rows after the checkpoint's step are dropped first,
 * so the files hold one continuous curve.
 */
public final class Metrics implements AutoCloseable {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("kind", "step", "epoch", "loss", "accuracy", "rmse", "lr",
        "grad_norm", "examples", "seconds");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter csv;
    private final BufferedWriter jsonl;

    private Metrics(BufferedWriter csv, BufferedWriter jsonl) {
        this.csv = csv;
        this.jsonl = jsonl;
    }

    /** Opens the files of a run; keeps rows with step ≤ {@code keepUpTo} (−1: start empty). */
    public static Metrics open(Path dir, long keepUpTo) {
        OutputFiles.createDirectories(dir);
        try {
            Path c = dir.resolve("metrics.csv");
            Path j = dir.resolve("metrics.jsonl");
            truncate(c, keepUpTo, true);
            truncate(j, keepUpTo, false);
            boolean header = !Files.exists(c) || Files.size(c) == 0;
            BufferedWriter cw = Files.newBufferedWriter(c, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
            if (header) {
                cw.write(String.join(",", COLUMNS));
                cw.newLine();
                cw.flush();
            }
            BufferedWriter jw = Files.newBufferedWriter(j, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
            return new Metrics(cw, jw);
        } catch (IOException e) {
            throw IoMessages.cannot("open the metrics in", dir, e);
        }
    }

    private static void truncate(Path f, long keepUpTo, boolean csvFile) throws IOException {
        if (!Files.exists(f)) {
            return;
        }
        if (keepUpTo < 0) {
            Files.delete(f);
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            long step;
            if (csvFile) {
                if (line.startsWith("kind,")) {
                    kept.add(line);
                    continue;
                }
                String[] parts = line.split(",", -1);
                step = parts.length > 1 ? parseStep(parts[1]) : Long.MAX_VALUE;
            } else {
                step = parseStep(JSON.readTree(line).path("step").asText("x"));
            }
            if (step <= keepUpTo) {
                kept.add(line);
            }
        }
        StringBuilder text = new StringBuilder();
        for (String line : kept) {
            text.append(line).append('\n');
        }
        OutputFiles.writeString(f, text.toString());
    }

    private static long parseStep(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Appends a row (missing columns are empty) and flushes both files. */
    public void write(Map<String, Object> row) {
        StringBuilder line = new StringBuilder();
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String c = COLUMNS.get(i);
            Object v = row.get(c);
            if (i > 0) {
                line.append(',');
            }
            if (v != null) {
                line.append(v);
                if (v instanceof Number) {
                    node.putPOJO(c, v);
                } else {
                    node.put(c, v.toString());
                }
            }
        }
        try {
            csv.write(line.toString());
            csv.newLine();
            csv.flush();
            jsonl.write(JSON.writeValueAsString(node));
            jsonl.newLine();
            jsonl.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics: " + IoMessages.reason(e), e);
        }
    }

    /** A row builder. */
    public static Map<String, Object> row(String kind, long step) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", kind);
        r.put("step", step);
        return r;
    }

    @Override
    public void close() {
        try {
            csv.close();
            jsonl.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metrics: " + IoMessages.reason(e), e);
        }
    }
}
