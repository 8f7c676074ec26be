package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.cli.study.StudyCase;
import org.rtf4j.cli.study.StudyPreset;
import org.rtf4j.cli.study.StudyRecord;
import org.rtf4j.cli.study.StudyReport;
import org.rtf4j.cli.study.StudyRunner;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.LayerKind;

/** The study harness and its outputs on tiny cases; the presets' contents. */
class StudyTest {
    @TempDir
    Path dir;

    @Test
    void tinyStudyWritesEveryOutput() throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<StudyCase> cases = new ArrayList<>();
        for (int n : new int[] {4, 8}) {
            for (LayerKind k : LayerKind.values()) {
                for (StudyCase.Phase ph : StudyCase.Phase.values()) {
                    cases.add(new StudyCase(k, false, 1, 2, 64, n, ph));
                }
            }
        }
        StringWriter log = new StringWriter();
        List<StudyRecord> records = new StudyRunner(() -> JvmBackend.withThreads(1), Precision.F32, 1, 2,
            new PrintWriter(log)).run(cases);
        assertEquals(cases.size(), records.size());
        for (StudyRecord r : records) {
            assertTrue(r.median_ms() >= r.min_ms() && r.min_ms() > 0, r.toString());
            assertTrue(r.peak_bytes() > 0 && r.param_bytes() > 0, r.toString());
        }
        List<Path> files = StudyReport.write(dir, records, Map.of("preset", "test"));
        assertTrue(files.contains(dir.resolve("study.json")) && files.contains(dir.resolve("ratios.md")));
        assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".png")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("study.json").toFile());
        JsonNode first = json.get("records").get(0);
        for (String f : new String[] {"layer", "direction", "backend", "B", "H", "L", "N", "phase", "median_ms", "min_ms", "peak_bytes"}) {
            assertTrue(first.has(f), "study.json record lacks " + f);
        }
        assertEquals(cases.size() + 1, Files.readAllLines(dir.resolve("study.csv")).size());
        String md = Files.readString(dir.resolve("ratios.md"));
        assertTrue(md.contains("| forward_backward | uni | jvm | 1 | 2 | 64 | 4 |") && md.contains("×"), md);
    }

    @Test
    void quickPresetHoldsTheTargetShapes() {
        List<StudyCase> q = StudyPreset.QUICK.cases();
        assertTrue(q.contains(new StudyCase(LayerKind.RTF, false, 1, 256, 2048, 4, StudyCase.Phase.kernel)));
        assertTrue(q.contains(new StudyCase(LayerKind.RTF, false, 1, 256, 2048, 1024, StudyCase.Phase.kernel)));
        for (LayerKind k : LayerKind.values()) {
            for (int n : new int[] {64, 1024}) {
                assertTrue(q.contains(new StudyCase(k, false, 8, 128, 2048, n, StudyCase.Phase.forward_backward)), k + " N=" + n);
            }
        }
        assertTrue(q.contains(new StudyCase(LayerKind.RTF, false, 8, 256, 8192, 4096, StudyCase.Phase.forward_backward)));
    }
}
