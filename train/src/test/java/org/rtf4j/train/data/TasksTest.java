package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasksTest {

    @Test
    void namesAndHelp() {
        assertEquals(List.of("copying", "delay", "listops", "pathfinder", "smnist", "psmnist", "imdb"), Tasks.names());
        Tasks.TaskInfo copying = Tasks.describe().get(0);
        assertEquals("copying", copying.name());
        assertTrue(copying.generated());
        assertTrue(copying.options().contains(new TaskOptions.Option("tokens", "128",
            "M, number of tokens to copy (the paper uses 1024)")));
        assertEquals("max-length/4", Tasks.describe().get(2).options().get(1).defaultValue());
        assertEquals(List.of(), Tasks.describe().get(4).options());
        String help = Tasks.help();
        assertTrue(help.contains("copying - Copying") && help.contains("tokens=128"), help);
        assertTrue(help.contains("min-length=max-length/4"), help);
    }

    @Test
    void unknownTask() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("copy", 0)));
        assertTrue(e.getMessage().contains("'copy'") && e.getMessage().contains("copying"), e.getMessage());
    }

    @Test
    void unknownOptionNamesItAndTheExpectedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("copying", 0).with("token", "5")));
        assertTrue(e.getMessage().contains("token") && e.getMessage().contains("[tokens, alphabet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tasks.open(
            new TaskConfig("smnist", 0, Map.of("pixels", "1"), null)));
        assertTrue(e.getMessage().contains("pixels") && e.getMessage().contains("(none)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tasks.open(
            new TaskConfig("psmnist", 0, Map.of("pixels", "1"), null)));
        assertTrue(e.getMessage().startsWith("task psmnist: unknown option pixels"), e.getMessage());
    }

    @Test
    void badValuesNameOptionExpectedAndActual() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("copying", 0).with("tokens", "many")));
        assertEquals("task copying: option tokens expected an integer in [1, 1048576], got 'many'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("copying", 0).with("alphabet", "2")));
        assertEquals("task copying: option alphabet expected an integer in [3, 65536], got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("delay", 0).with("dt", "-1")));
        assertTrue(e.getMessage().startsWith("task delay: option dt expected a number in [") && e.getMessage()
            .endsWith("got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("pathfinder", 0).with("distractors", "9")));
        assertEquals("task pathfinder: option distractors expected an integer in [0, 6], got 9", e.getMessage());
    }

    @Test
    void everyGeneratedTaskOpensWithDefaults() {
        for (Tasks.TaskInfo t : Tasks.describe()) {
            if (t.generated()) {
                Dataset d = Tasks.open(TaskConfig.of(t.name(), 0));
                assertEquals(t.name(), d.spec().name());
                assertTrue(d.generatesFreshTrainingExamples());
            }
        }
    }
}
