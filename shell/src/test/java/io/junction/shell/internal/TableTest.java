package io.junction.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void alignsColumnsAndTrimsLineEnds() {
        String text = new Table("ID", "NAME", "TYPE").row(1, "sc1", "microsoft").row(12, "lab cloud", null).toString();
        assertEquals("""
                ID  NAME       TYPE
                1   sc1        microsoft
                12  lab cloud
                """, text);
    }

    @Test
    void keepsEachRowOnOneLine() {
        assertEquals("A\nx y\n", new Table("A").row("x\ny").toString());
    }

    @Test
    void spellsOutControlAndFormatCharacters() {
        assertEquals("A\nevil\\u202Etxt.exe\n", new Table("A").row("evil\u202Etxt.exe").toString());
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("x"));
    }
}
