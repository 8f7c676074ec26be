package org.rtf4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process, as the tests drive it. */
final class InProcess {
    private InProcess() {
    }

    /** {exit code, stdout, stderr} of {@code rtf4j args...}. */
    static String[] run(String... args) {
        var cl = Rtf4jCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
