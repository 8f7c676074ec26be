package org.rtf4j.cli;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars of train and eval: on stderr, shown when asked or when stderr is a terminal. */
final class Progress {
    private Progress() {
    }

    /** Whether to show a bar: the --progress/--no-progress choice, else whether there is a console. */
    static boolean wanted(Boolean option) {
        return option != null ? option : System.console() != null;
    }

    /** A bar named {@code task} counting to {@code max}, starting at {@code from}. */
    static ProgressBar bar(String task, long max, long from) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).startsFrom(from, Duration.ZERO)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
