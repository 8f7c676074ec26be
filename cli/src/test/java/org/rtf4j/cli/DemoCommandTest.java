package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo runs in-process, prints what it promises and its errors are small. */
class DemoCommandTest {

    private static String[] run(String... args) {
        CommandLine cl = Rtf4jCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void causalFloat32() {
        String[] r = run("demo", "--batch", "2", "--channels", "4", "--state", "8", "--length", "300", "--repeats", "1");
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("shapes: u, y, du (B=2, H=4, L=300)"), out);
        assertTrue(number(out, "y ([0-9.e+-]+), du") < 1e-5, out);
        assertTrue(number(out, "du ([0-9.e+-]+)\\n") < 1e-4, out);
        assertTrue(number(out, "max \\|y_step - y_conv\\| / max\\(1, max\\|y\\|\\) = ([0-9.e+-]+)") < 1e-5, out);
    }

    @Test
    void bidirectionalFloat64() {
        String[] r = run("demo", "--batch", "1", "--channels", "3", "--state", "5", "--length", "127",
            "--bidirectional", "--precision", "F64", "--threads", "1", "--repeats", "1");
        assertEquals("0", r[0], r[2]);
        assertTrue(number(r[1], "y ([0-9.e+-]+), du") < 1e-12, r[1]);
        assertTrue(number(r[1], "du ([0-9.e+-]+)\\n") < 1e-12, r[1]);
        assertTrue(r[1].contains("not available for a bidirectional layer"), r[1]);
    }

    @Test
    void badInputIsOneClearLine() {
        String[] r = run("demo", "--state", "64", "--length", "32");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("rtf4j: state size N=64 must be < L=32"), r[2]);
        assertTrue(!r[2].contains("at org."), r[2]);
    }
}
