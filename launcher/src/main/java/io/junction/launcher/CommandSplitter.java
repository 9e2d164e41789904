package io.junction.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text given with {@code -c} into Gogo command lines.
 *
 * <p>A command ends at {@code ;} or a newline, unless that character is inside single or double
 * quotes, inside braces, brackets or parentheses (Gogo closures, lists and sub-commands), or
 * escaped with a backslash. Everything else, quotes and escapes included, is passed to Gogo
 * unchanged, so Gogo still does its own parsing of each command. Blank commands are dropped.
 */
final class CommandSplitter {

    private CommandSplitter() {
    }

    static List<String> split(CharSequence text) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        int depth = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote == '"' && i + 1 < n) {
                    current.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\\':
                    current.append(c);
                    if (i + 1 < n) {
                        current.append(text.charAt(++i));
                    }
                    break;
                case '\'':
                case '"':
                    quote = c;
                    current.append(c);
                    break;
                case '{':
                case '[':
                case '(':
                    depth++;
                    current.append(c);
                    break;
                case '}':
                case ']':
                case ')':
                    if (depth > 0) {
                        depth--;
                    }
                    current.append(c);
                    break;
                case ';':
                case '\n':
                    if (depth == 0) {
                        add(commands, current);
                    } else {
                        current.append(c);
                    }
                    break;
                default:
                    current.append(c);
            }
        }
        add(commands, current);
        return commands;
    }

    private static void add(List<String> commands, StringBuilder current) {
        String command = current.toString().strip();
        if (!command.isEmpty()) {
            commands.add(command);
        }
        current.setLength(0);
    }
}
