package org.rtf4j.cli.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rtf4j.formats.IoMessages;
import org.rtf4j.formats.OutputFiles;

/** Writes a study: study.json, study.csv, ratios.md and PNG plots (XChart). */
public final class StudyReport {
    private StudyReport() {
    }

    /** The files every study writes into its folder, besides the plots ({@code *.png}). */
    static final List<String> FILES = List.of("study.json", "study.csv", "ratios.md");

    /**
     * Checks, before the study runs, that {@code dir} can take its outputs: a directory (or a path where one
     * can be created) whose existing outputs of the same names are files that can be replaced.
     */
    public static void check(String option, Path dir) {
        OutputFiles.checkDirectory(option, dir);
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String f : FILES) {
            OutputFiles.check(option, dir.resolve(f));
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(".png")) {
                    OutputFiles.check(option, p);
                }
            }
        } catch (IOException e) {
            throw IoMessages.cannot("list", dir, e);
        }
    }

    /** Writes every output into {@code dir} (each file under the output policy); returns the files written. */
    public static List<Path> write(Path dir, List<StudyRecord> records, Map<String, Object> method) {
        List<Path> files = new ArrayList<>();
        OutputFiles.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("records", records);
        Path j = dir.resolve("study.json");
        OutputFiles.write(j, out -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, json));
        files.add(j);
        StringBuilder csv = new StringBuilder("layer,direction,backend,B,H,L,N,phase,median_ms,min_ms,peak_bytes,param_bytes,repetitions\n");
        for (StudyRecord r : records) {
            csv.append(String.join(",", r.layer(), r.direction(), r.backend(), "" + r.B(), "" + r.H(), "" + r.L(), "" + r.N(),
                r.phase(), String.format(Locale.ROOT, "%.4f", r.median_ms()), String.format(Locale.ROOT, "%.4f", r.min_ms()),
                "" + r.peak_bytes(), "" + r.param_bytes(), "" + r.repetitions())).append('\n');
        }
        Path c = dir.resolve("study.csv");
        OutputFiles.writeString(c, csv.toString());
        files.add(c);
        Path m = dir.resolve("ratios.md");
        OutputFiles.writeString(m, ratios(records));
        files.add(m);
        files.addAll(plots(dir, records));
        return files;
    }

    private static String key(StudyRecord r) {
        return r.direction() + "|" + r.backend() + "|" + r.B() + "|" + r.H() + "|" + r.L() + "|" + r.N() + "|" + r.phase();
    }

    /** Markdown: per shape and phase, median times and the speed-ups of RTF over S4 and S4D. */
    static String ratios(List<StudyRecord> records) {
        Map<String, Map<String, StudyRecord>> byShape = new TreeMap<>();
        for (StudyRecord r : records) {
            byShape.computeIfAbsent(key(r), k -> new LinkedHashMap<>()).put(r.layer(), r);
        }
        StringBuilder b = new StringBuilder("| phase | dir | backend | B | H | L | N | RTF ms | S4D ms | S4 ms | S4D / RTF | S4 / RTF |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, StudyRecord> m : byShape.values()) {
            StudyRecord any = m.values().iterator().next();
            StudyRecord rtf = m.get("rtf");
            StudyRecord s4d = m.get("s4d");
            StudyRecord s4 = m.get("s4");
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d | %s | %s | %s | %s | %s |%n", any.phase(), any.direction(),
                any.backend(), any.B(), any.H(), any.L(), any.N(), ms(rtf), ms(s4d), ms(s4), ratio(s4d, rtf), ratio(s4, rtf)));
        }
        return b.toString();
    }

    private static String ms(StudyRecord r) {
        return r == null ? "–" : String.format(Locale.ROOT, "%.2f", r.median_ms());
    }

    private static String ratio(StudyRecord base, StudyRecord rtf) {
        return base == null || rtf == null ? "–" : String.format(Locale.ROOT, "%.2f×", base.median_ms() / rtf.median_ms());
    }

    private static List<Path> plots(Path dir, List<StudyRecord> records) {
        List<Path> out = new ArrayList<>();
        for (String phase : new String[] {"kernel", "forward_backward"}) {
            TreeSet<Integer> lengths = new TreeSet<>();
            TreeSet<Integer> states = new TreeSet<>();
            for (StudyRecord r : records) {
                if (r.phase().equals(phase)) {
                    lengths.add(r.L());
                    states.add(r.N());
                }
            }
            for (int len : lengths) {
                Path p = chart(dir, "time_vs_N_L" + len + "_" + phase, "time vs N, L=" + len + ", " + phase, "N", "median ms",
                    records, r -> r.phase().equals(phase) && r.L() == len, StudyRecord::N, StudyRecord::median_ms);
                if (p != null) {
                    out.add(p);
                }
            }
            for (int n : states) {
                Path p = chart(dir, "time_vs_L_N" + n + "_" + phase, "time vs L, N=" + n + ", " + phase, "L", "median ms",
                    records, r -> r.phase().equals(phase) && r.N() == n, StudyRecord::L, StudyRecord::median_ms);
                if (p != null) {
                    out.add(p);
                }
            }
        }
        Path mem = chart(dir, "memory_vs_N", "peak memory vs N (forward_backward)", "N", "peak MiB", records,
            r -> r.phase().equals("forward_backward"), StudyRecord::N, r -> r.peak_bytes() / (double) (1 << 20));
        if (mem != null) {
            out.add(mem);
        }
        return out;
    }

    private static Path chart(Path dir, String name, String title, String xLabel, String yLabel, List<StudyRecord> records,
                              java.util.function.Predicate<StudyRecord> keep, java.util.function.ToIntFunction<StudyRecord> x,
                              java.util.function.ToDoubleFunction<StudyRecord> y) {
        Map<String, TreeMap<Integer, Double>> series = new TreeMap<>();
        for (StudyRecord r : records) {
            if (keep.test(r)) {
                String s = r.layer() + " " + r.direction() + " B=" + r.B() + " H=" + r.H() + ("memory_vs_N".equals(name) ? " L=" + r.L() : "");
                series.computeIfAbsent(s, k -> new TreeMap<>()).put(x.applyAsInt(r), y.applyAsDouble(r));
            }
        }
        series.values().removeIf(m -> m.size() < 2);
        if (series.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(720).height(480).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(!"memory_vs_N".equals(name));
        for (Map.Entry<String, TreeMap<Integer, Double>> e : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            e.getValue().forEach((k, v) -> {
                xs.add((double) k);
                ys.add(Math.max(v, 1e-6));
            });
            chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        Path p = dir.resolve(name + ".png");
        OutputFiles.write(p, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return p;
    }
}
