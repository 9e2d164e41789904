package io.junction.simulators.winrm;

import java.util.ArrayList;
import java.util.List;

/**
 * The small piece of PowerShell syntax the simulator reads: statements separated by newlines or
 * {@code ;}, each an assignment of a single-quoted string ({@code $id = '...'}) or a pipeline of
 * commands with {@code -Parameter} names, single- or double-quoted strings, {@code $variables},
 * barewords and parenthesised sub-pipelines {@code (...)} / {@code @(...)}.
 */
final class PsScript {
    sealed interface Statement permits Assignment, Pipeline {
    }

    record Assignment(String variable, String value) implements Statement {
    }

    record Pipeline(List<Command> commands) implements Statement {
    }

    record Command(String name, List<Arg> args) {
    }

    sealed interface Arg permits Param, Literal, Expandable, Variable, Bareword, Sub {
    }

    record Param(String name) implements Arg {
    }

    record Literal(String value) implements Arg {
    }

    /** A double-quoted string, whose {@code $name} parts are replaced when it is used. */
    record Expandable(String raw) implements Arg {
    }

    record Variable(String name) implements Arg {
    }

    record Bareword(String text) implements Arg {
    }

    record Sub(Pipeline pipeline, boolean array) implements Arg {
    }

    private enum Kind {
        WORD, PARAM, SQ, DQ, VAR, PIPE, LP, AT_LP, RP, EQ, END, EOF
    }

    private record Token(Kind kind, String text) {
    }

    private final List<Token> tokens;
    private int at;

    private PsScript(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Statement> parse(String script) throws PsError {
        PsScript parser = new PsScript(tokenize(script));
        List<Statement> statements = new ArrayList<>();
        while (true) {
            while (parser.peek() == Kind.END) {
                parser.at++;
            }
            if (parser.peek() == Kind.EOF) {
                return statements;
            }
            statements.add(parser.statement());
            Kind next = parser.peek();
            if (next != Kind.END && next != Kind.EOF) {
                throw PsError.parse("Unexpected token '" + parser.tokens.get(parser.at).text() + "' in expression or statement.");
            }
        }
    }

    private Statement statement() throws PsError {
        if (peek() == Kind.VAR && tokens.get(at + 1).kind() == Kind.EQ) {
            String name = tokens.get(at).text();
            at += 2;
            Token value = tokens.get(at++);
            if (value.kind() != Kind.SQ) {
                throw PsError.unsupported("$" + name + " must be assigned a single-quoted string.");
            }
            return new Assignment(name, value.text());
        }
        return pipeline();
    }

    private Pipeline pipeline() throws PsError {
        List<Command> commands = new ArrayList<>();
        commands.add(command());
        while (peek() == Kind.PIPE) {
            at++;
            commands.add(command());
        }
        return new Pipeline(commands);
    }

    private Command command() throws PsError {
        Token name = tokens.get(at);
        if (name.kind() != Kind.WORD) {
            throw PsError.unsupported("a pipeline element must start with a command name, not '" + name.text() + "'.");
        }
        at++;
        List<Arg> args = new ArrayList<>();
        while (true) {
            Token t = tokens.get(at);
            switch (t.kind()) {
                case PARAM -> args.add(new Param(t.text()));
                case SQ -> args.add(new Literal(t.text()));
                case DQ -> args.add(new Expandable(t.text()));
                case VAR -> args.add(new Variable(t.text()));
                case WORD -> args.add(new Bareword(t.text()));
                case LP, AT_LP -> {
                    at++;
                    Pipeline inner = pipeline();
                    if (peek() != Kind.RP) {
                        throw PsError.parse("Missing closing ')' in expression.");
                    }
                    args.add(new Sub(inner, t.kind() == Kind.AT_LP));
                }
                default -> {
                    return new Command(name.text(), args);
                }
            }
            at++;
        }
    }

    private Kind peek() {
        return tokens.get(at).kind();
    }

    private static List<Token> tokenize(String s) throws PsError {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\r' || c == '\n' || c == ';') {
                out.add(new Token(Kind.END, String.valueOf(c)));
                i++;
            } else if (c == '|') {
                out.add(new Token(Kind.PIPE, "|"));
                i++;
            } else if (c == '(') {
                out.add(new Token(Kind.LP, "("));
                i++;
            } else if (c == ')') {
                out.add(new Token(Kind.RP, ")"));
                i++;
            } else if (c == '@' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                out.add(new Token(Kind.AT_LP, "@("));
                i += 2;
            } else if (c == '=') {
                out.add(new Token(Kind.EQ, "="));
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw PsError.parse("The string is missing the terminator: '.");
                    }
                    char d = s.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                            b.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(d);
                    i++;
                }
                out.add(new Token(Kind.SQ, b.toString()));
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw PsError.parse("The string is missing the terminator: \".");
                    }
                    char d = s.charAt(i);
                    if (d == '`' && i + 1 < s.length()) {
                        b.append(d).append(s.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == '"') {
                        i++;
                        break;
                    }
                    b.append(d);
                    i++;
                }
                out.add(new Token(Kind.DQ, b.toString()));
            } else if (c == '$') {
                int start = ++i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                if (i == start) {
                    throw PsError.unsupported("only simple variables ($name) are accepted.");
                }
                out.add(new Token(Kind.VAR, s.substring(start, i)));
            } else {
                int start = i;
                while (i < s.length() && " \t\r\n;|()='\"$".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                String word = s.substring(start, i);
                if (word.startsWith("-") && word.length() > 1 && Character.isLetter(word.charAt(1))) {
                    if (word.contains(":")) {
                        throw PsError.unsupported("write parameters as -Name value, not -Name:value.");
                    }
                    out.add(new Token(Kind.PARAM, word.substring(1)));
                } else {
                    out.add(new Token(Kind.WORD, word));
                }
            }
        }
        out.add(new Token(Kind.EOF, "<end of script>"));
        return out;
    }

    /** Replaces {@code $name} in a double-quoted string; a backtick escapes the next character. */
    static String expand(String raw, java.util.Map<String, String> variables) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '`' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case '0' -> '\0';
                    default -> n;
                });
            } else if (c == '$' && i + 1 < raw.length()
                    && (Character.isLetterOrDigit(raw.charAt(i + 1)) || raw.charAt(i + 1) == '_')) {
                int start = ++i;
                while (i < raw.length() && (Character.isLetterOrDigit(raw.charAt(i)) || raw.charAt(i) == '_')) {
                    i++;
                }
                String value = variables.get(raw.substring(start, i).toLowerCase(java.util.Locale.ROOT));
                b.append(value == null ? "" : value);
                i--;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
