/**
 * The {@code ./rtf4j} command line (picocli): {@link org.rtf4j.cli.Rtf4jCommand} and one subcommand per
 * feature ({@code train}, {@code eval}, {@code setup-data}, {@code demo}, {@code layer}, {@code devices},
 * {@code profile}, {@code study}), with the option groups they share (the backend choice, the task).
 *
 * <p><b>Conventions.</b> Every numeric option is range-checked and every output path checked before any
 * work starts, and the memory a command needs is estimated before anything is allocated. Every user-facing
 * error is one line, {@code rtf4j: <message>}, naming the argument, the expected and the actual value (and
 * for I/O the path and the reason), with exit code 2: usage errors, and {@code IllegalArgumentException},
 * {@code IllegalStateException}, {@code ArithmeticException} and {@code UncheckedIOException} from the
 * work ({@link org.rtf4j.cli.Rtf4jCommand#commandLine()}). The backend is chosen explicitly and logged once;
 * nothing falls back silently. Each command owns the backend it creates and closes it.
 *
 * <p>Commands are thin: training, layers and kernels live in {@code org.rtf4j.train},
 * {@code org.rtf4j.models} and {@code org.rtf4j.kernels}; the speed-up study is in {@code org.rtf4j.cli.study}.
 */
package org.rtf4j.cli;
