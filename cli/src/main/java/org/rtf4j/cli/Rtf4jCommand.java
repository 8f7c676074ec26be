package org.rtf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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

    /** A command line whose errors are one clear line (no stack trace) and exit code 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Rtf4jCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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

    /** Entry point. */
    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%n");
        }
        System.exit(commandLine().execute(args));
    }
}
