package io.junction.console.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.TerminalBuilder;

/** JLine terminals on SSH channels. */
final class SshTerminals {
    /** What a terminal that reports no size gets: JLine spins forever redrawing on a 0x0 terminal. */
    static final Size DEFAULT_SIZE = new Size(80, 24);

    private SshTerminals() {
    }

    /** The terminal of a shell channel: the client's type, size and line discipline (pty modes). */
    static Terminal forShell(InputStream in, OutputStream out, Environment env) throws IOException {
        Map<String, String> vars = env.getEnv();
        String type = vars.get(Environment.ENV_TERM);
        Terminal terminal = TerminalBuilder.builder()
                .name("junction-ssh")
                .type(type == null || type.isBlank() ? "dumb" : type)
                .system(false)
                .streams(in, out)
                .encoding(StandardCharsets.UTF_8)
                .build();
        terminal.setSize(size(vars));
        Attributes attributes = terminal.getAttributes();
        for (Map.Entry<PtyMode, Integer> mode : env.getPtyModes().entrySet()) {
            apply(attributes, mode.getKey(), mode.getValue());
        }
        terminal.setAttributes(attributes);
        env.addSignalListener((channel, signal) -> {
            terminal.setSize(size(vars));
            terminal.raise(Terminal.Signal.WINCH);
        }, Signal.WINCH);
        return terminal;
    }

    /** The terminal of an exec channel: no line editing and no echo, so a command can read a secret from standard input. */
    static Terminal forExec(InputStream in, OutputStream out) throws IOException {
        Terminal terminal = TerminalBuilder.builder()
                .name("junction-exec")
                .type("dumb")
                .system(false)
                .streams(in, out)
                .encoding(StandardCharsets.UTF_8)
                .build();
        terminal.setSize(DEFAULT_SIZE);
        Attributes attributes = terminal.getAttributes();
        attributes.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        attributes.setOutputFlag(Attributes.OutputFlag.ONLCR, false);
        terminal.setAttributes(attributes);
        return terminal;
    }

    /**
     * The terminal of a command line from the local socket: JLine's dumb terminal, which reads its
     * input only when a command reads (a secret asked for), and then no further than it needs; the
     * client sends its standard input as it is asked for, so each command of a {@code -c} line gets
     * the lines meant for it. (An external terminal's pump would read ahead, for the first command.)
     */
    static Terminal forLocalExec(InputStream in, OutputStream out) throws IOException {
        Terminal terminal = new DumbTerminal("junction-local", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
        terminal.setSize(DEFAULT_SIZE);
        return terminal;
    }

    static Size size(Map<String, String> vars) {
        int columns = number(vars.get(Environment.ENV_COLUMNS));
        int lines = number(vars.get(Environment.ENV_LINES));
        return columns <= 0 || lines <= 0 ? DEFAULT_SIZE : new Size(columns, lines);
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void apply(Attributes a, PtyMode mode, int value) {
        boolean on = value != 0;
        switch (mode) {
            case VINTR -> a.setControlChar(Attributes.ControlChar.VINTR, value);
            case VQUIT -> a.setControlChar(Attributes.ControlChar.VQUIT, value);
            case VERASE -> a.setControlChar(Attributes.ControlChar.VERASE, value);
            case VKILL -> a.setControlChar(Attributes.ControlChar.VKILL, value);
            case VEOF -> a.setControlChar(Attributes.ControlChar.VEOF, value);
            case VWERASE -> a.setControlChar(Attributes.ControlChar.VWERASE, value);
            case VLNEXT -> a.setControlChar(Attributes.ControlChar.VLNEXT, value);
            case VSUSP -> a.setControlChar(Attributes.ControlChar.VSUSP, value);
            case VREPRINT -> a.setControlChar(Attributes.ControlChar.VREPRINT, value);
            case ECHO -> a.setLocalFlag(Attributes.LocalFlag.ECHO, on);
            case ICANON -> a.setLocalFlag(Attributes.LocalFlag.ICANON, on);
            case ISIG -> a.setLocalFlag(Attributes.LocalFlag.ISIG, on);
            case ICRNL -> a.setInputFlag(Attributes.InputFlag.ICRNL, on);
            case INLCR -> a.setInputFlag(Attributes.InputFlag.INLCR, on);
            case IGNCR -> a.setInputFlag(Attributes.InputFlag.IGNCR, on);
            case OPOST -> a.setOutputFlag(Attributes.OutputFlag.OPOST, on);
            case ONLCR -> a.setOutputFlag(Attributes.OutputFlag.ONLCR, on);
            case OCRNL -> a.setOutputFlag(Attributes.OutputFlag.OCRNL, on);
            case ONLRET -> a.setOutputFlag(Attributes.OutputFlag.ONLRET, on);
            default -> {
                // other modes do not matter to a line editor
            }
        }
    }
}
