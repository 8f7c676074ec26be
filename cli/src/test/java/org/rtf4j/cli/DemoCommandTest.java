package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo runs in-process for every kind, prints what it promises and its errors are small. */
class DemoCommandTest {

    private static String[] run(String... args) {
        return InProcess.run(args);
    }

    private static List<Double> numbers(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<Double> out = new ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    private static void allBelow(String out, String regex, int count, double bound) {
        List<Double> v = numbers(out, regex);
        assertEquals(count, v.size(), "matches of " + regex + " in:\n" + out);
        for (double x : v) {
            assertTrue(x < bound, regex + " = " + x + " >= " + bound + " in:\n" + out);
        }
    }

    @Test
    void allKindsCausalFloat32() {
        String[] r = run("demo", "--batch", "2", "--channels", "4", "--state", "8", "--length", "300", "--repeats", "1");
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("shape: u, y, du (B=2, H=4, L=300)"), out);
        for (String kind : new String[] {"\nrtf: ", "\ns4d: ", "\ns4: "}) {
            assertTrue(out.contains(kind), kind + " missing in:\n" + out);
        }
        assertTrue(out.contains("Vandermonde"), out);
        allBelow(out, "y ([0-9.e+-]+), du", 3, 1e-5);
        allBelow(out, "du ([0-9.e+-]+)\\n", 3, 1e-4);
        allBelow(out, "max \\|y_step - y_conv\\| / max\\(1, max\\|y\\|\\) = ([0-9.e+-]+)", 3, 1e-4);
    }

    @Test
    void bidirectionalFloat64() {
        String[] r = run("demo", "--batch", "1", "--channels", "3", "--state", "6", "--length", "127",
            "--bidirectional", "--precision", "F64", "--threads", "1", "--repeats", "1");
        assertEquals("0", r[0], r[2]);
        allBelow(r[1], "y ([0-9.e+-]+), du", 3, 1e-12);
        allBelow(r[1], "du ([0-9.e+-]+)\\n", 3, 1e-12);
        assertTrue(r[1].contains("not available for a bidirectional layer"), r[1]);
    }

    @Test
    void badInputIsOneClearLine() {
        String[] r = run("demo", "--kinds", "rtf", "--state", "64", "--length", "32");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("rtf4j: state size N must be < the length L = 32, got 64"), r[2]);
        assertTrue(!r[2].contains("at org."), r[2]);
        r = run("demo", "--kinds", "s5");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown layer kind 's5'"), r[2]);
        r = run("demo", "--kinds", "s4", "--state", "7");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("state size N must be even and ≥ 2 (N/2 complex modes are stored), got 7"), r[2]);
    }

    @Test
    void longSequencesCheckABoundedSampleAndSaySo() {
        // all B·H·L positions would cost ~10^10 multiply-adds against the direct O(L^2) sums, and 10^5 steps of a
        // state of 4096 in the recurrence: both are bounded, and the lines say what was checked
        String[] r = run("demo", "--kinds", "rtf", "--batch", "1", "--channels", "1", "--length", "100000", "--state",
            "4096", "--repeats", "1");
        assertEquals("0", r[0], r[2]);
        assertTrue(Pattern.compile("max error vs direct O\\(L\\^2\\) convolution, checked at [0-9]+ of 100000 positions in 1 of 1"
            + " rows to bound the work").matcher(r[1]).find(), r[1]);
        assertTrue(r[1].contains("recurrent: the first 65536 of 100000 steps over (B=1, H=1)"), r[1]);
        allBelow(r[1], "y ([0-9.e+-]+), du", 1, 1e-5);
        allBelow(r[1], "y_conv\\| / max\\(1, max\\|y\\|\\) = ([0-9.e+-]+)", 1, 1e-5);
        // small shapes are still checked everywhere
        r = run("demo", "--kinds", "rtf", "--batch", "2", "--channels", "3", "--length", "100", "--state", "4", "--repeats", "1");
        assertTrue(r[1].contains("max error vs direct O(L^2) convolution (max|diff|") && r[1].contains("recurrent: 100 steps"),
            r[1]);
    }

    @Test
    void s4RecurrentFormBeyondTheBudgetIsSkippedAndSaysSo() {
        // S4's recurrent form needs dense N×N solves and log2(L) squarings per channel: O(H·N³·log L)
        String[] r = run("demo", "--kinds", "s4", "--batch", "1", "--channels", "4", "--length", "4096", "--state", "1024",
            "--repeats", "1");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("recurrent: skipped (S4's recurrent form solves 4 dense 1024x1024 complex systems"), r[1]);
    }
}
