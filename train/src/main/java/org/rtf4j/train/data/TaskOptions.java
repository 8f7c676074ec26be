package org.rtf4j.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The options a task accepts, with defaults and descriptions, and their parsing from a {@link TaskConfig}.
 * Each task declares its options once; the declaration serves both parsing and the CLI help.
 */
public final class TaskOptions {

    /**
     * One option of a task.
     *
     * @param name         option name, e.g. {@code tokens}
     * @param defaultValue its default, as text
     * @param description  what it means, for help output
     */
    public record Option(String name, String defaultValue, String description) {
    }

    private final String task;
    private final List<Option> declared = new ArrayList<>();

    /** Options of the named task. */
    public TaskOptions(String task) {
        this.task = task;
    }

    /** Declares an option; returns this for chaining. */
    public TaskOptions add(String name, Object defaultValue, String description) {
        declared.add(new Option(name, String.valueOf(defaultValue), description));
        return this;
    }

    /** The declared options, in declaration order. */
    public List<Option> options() {
        return List.copyOf(declared);
    }

    /** Parsed values of one configuration; reading an undeclared option is a programming error. */
    public Values parse(Map<String, String> given) {
        TreeSet<String> unknown = new TreeSet<>(given.keySet());
        for (Option o : declared) {
            unknown.remove(o.name());
        }
        if (!unknown.isEmpty()) {
            List<String> names = declared.stream().map(Option::name).toList();
            throw new IllegalArgumentException("task " + task + ": unknown option" + (unknown.size() > 1 ? "s " : " ")
                + String.join(", ", unknown) + "; expected one of " + (names.isEmpty() ? "(none)" : names));
        }
        return new Values(given);
    }

    /** Option values of one configuration, typed and range-checked. */
    public final class Values {
        private final Map<String, String> given;

        private Values(Map<String, String> given) {
            this.given = given;
        }

        private String raw(String name) {
            for (Option o : declared) {
                if (o.name().equals(name)) {
                    return given.getOrDefault(name, o.defaultValue());
                }
            }
            throw new IllegalStateException("task " + task + ": option " + name + " was not declared");
        }

        /** An integer option within [min, max]. */
        public int integer(String name, int min, int max) {
            String s = raw(name).trim();
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("task " + task + ": option " + name + " expected an integer in ["
                    + min + ", " + max + "], got '" + s + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("task " + task + ": option " + name + " expected an integer in ["
                    + min + ", " + max + "], got " + v);
            }
            return (int) v;
        }

        /** A finite real option within [min, max]. */
        public double real(String name, double min, double max) {
            String s = raw(name).trim();
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("task " + task + ": option " + name + " expected a number in ["
                    + min + ", " + max + "], got '" + s + "'");
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException("task " + task + ": option " + name + " expected a number in ["
                    + min + ", " + max + "], got " + s);
            }
            return v;
        }

        /** True when the option was given explicitly. */
        public boolean given(String name) {
            raw(name);
            return given.containsKey(name);
        }
    }
}
