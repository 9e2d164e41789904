package io.junction.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The controlling terminal's settings, through stty: echo off while a secret may be typed, raw for a remote line editor. */
final class Tty {
    private Tty() {
    }

    /** Runs stty on the controlling terminal; returns what it printed. */
    static String stty(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(new File("/dev/tty"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed on this terminal");
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
