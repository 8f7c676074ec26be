package org.rtf4j.cli;

import org.rtf4j.kernels.backend.MemoryCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ./rtf4j} command line: every feature is a subcommand. */
@Command(name = "rtf4j", mixinStandardHelpOptions = true, version = "rtf4j 0.1.0-SNAPSHOT",
    description = "State-free sequence models (RTF) on the JVM.",
    subcommands = {TrainCommand.class, EvalCommand.class, SetupDataCommand.class, DemoCommand.class, LayerCommand.class, DevicesCommand.class, ProfileCommand.class, StudyCommand.class,
        CommandLine.HelpCommand.class})
public final class Rtf4jCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A command line whose errors are one clear line (no stack trace) and exit code 2: user errors and refused
     * limits (the exceptions below, {@link org.rtf4j.kernels.backend.MemoryLimitException} among them), and as
     * a backstop an {@link OutOfMemoryError} that a command's memory estimate did not foresee.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Rtf4jCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parsed -> {
            try {
                return run.execute(parsed);
            } catch (OutOfMemoryError e) {
                // the stack is unwound, so what filled the heap is garbage now and a line can be printed
                cl.getErr().println("rtf4j: " + outOfMemory(e));
                cl.getErr().flush();
                return 2;
            }
        });
        // a usage error (unknown option, a value that is not a number, ...) is one line too, with where help is
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException
                && !((CommandLine.UnmatchedArgumentException) ex).getSuggestions().isEmpty()) {
                hint = "; did you mean " + String.join(" or ", ((CommandLine.UnmatchedArgumentException) ex).getSuggestions());
            }
            cmd.getErr().println("rtf4j: " + ex.getMessage().strip().replace('\n', ' ') + hint + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
            cmd.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                || ex instanceof ArithmeticException || ex instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("rtf4j: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    /** The one line for an {@link OutOfMemoryError}: what ran out, the heap limit and how to raise it. */
    static String outOfMemory(OutOfMemoryError e) {
        String what = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
        return "out of memory" + what + " with a maximum heap of " + MemoryCheck.bytes(Runtime.getRuntime().maxMemory())
            + "; use smaller sizes or " + MemoryCheck.RAISE;
    }

    /** Entry point. */
    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%n");
        }
        System.exit(commandLine().execute(args));
    }
}
