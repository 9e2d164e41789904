package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandSplitterTest {

    @Test
    void splitsOnSemicolonsAndNewlines() {
        assertEquals(List.of("lb", "ems:list", "echo hi"), CommandSplitter.split("lb; ems:list\necho hi"));
    }

    @Test
    void dropsBlankCommandsAndTrims() {
        assertEquals(List.of("lb", "ems:list"), CommandSplitter.split(" ;; lb ;\n\n  ems:list ;\r\n"));
        assertEquals(List.of(), CommandSplitter.split(""));
        assertEquals(List.of(), CommandSplitter.split(" ; \n "));
    }

    @Test
    void keepsSeparatorsInsideQuotes() {
        assertEquals(List.of("echo 'a;b'", "echo \"c;d\nе\"", "lb"),
                CommandSplitter.split("echo 'a;b'; echo \"c;d\nе\"; lb"));
    }

    @Test
    void escapedQuoteInsideDoubleQuotesDoesNotEndThem() {
        assertEquals(List.of("echo \"a\\\";b\"", "lb"), CommandSplitter.split("echo \"a\\\";b\"; lb"));
    }

    @Test
    void singleQuotesDoNotEscape() {
        assertEquals(List.of("echo 'a\\'", "lb"), CommandSplitter.split("echo 'a\\'; lb"));
    }

    @Test
    void otherQuoteKindIsLiteralInsideQuotes() {
        assertEquals(List.of("echo \"it's; fine\"", "lb"), CommandSplitter.split("echo \"it's; fine\"; lb"));
    }

    @Test
    void keepsSeparatorsInsideBracesBracketsAndParentheses() {
        assertEquals(List.of("each [1 2] { echo a; echo b }", "x = (echo 1; echo 2)", "m = [a=1; b=2]"),
                CommandSplitter.split("each [1 2] { echo a; echo b }; x = (echo 1; echo 2)\nm = [a=1; b=2]"));
    }

    @Test
    void nestedGroupsAndClosingAfterQuotes() {
        assertEquals(List.of("each [1] { if {true} { echo '}'; echo x } }", "lb"),
                CommandSplitter.split("each [1] { if {true} { echo '}'; echo x } }; lb"));
    }

    @Test
    void backslashEscapesSeparatorOutsideQuotes() {
        assertEquals(List.of("echo a\\;b", "lb"), CommandSplitter.split("echo a\\;b; lb"));
    }

    @Test
    void unbalancedClosersDoNotSwallowSeparators() {
        assertEquals(List.of("echo )", "lb"), CommandSplitter.split("echo ); lb"));
    }

    @Test
    void unterminatedQuoteKeepsTheRestAsOneCommand() {
        assertEquals(List.of("lb", "echo 'a; b"), CommandSplitter.split("lb; echo 'a; b"));
    }
}
